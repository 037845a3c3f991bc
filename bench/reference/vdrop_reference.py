#!/usr/bin/env python3
"""vdrop's PyTorch reference: word-level LSTM language models with the dropout schemes vdrop generates.

Three modes (see bench/README.md and docs/protocol.md):

  timing     what bench/run starts beside vdrop's and DL4J's JVMs: train, eval and MC-dropout
             tokens/s and peak RSS of one model on synthetic token ids, printed as one JSON line
               --config small|medium --variant a|b|c --train-seconds N --infer-seconds N [--json FILE]
  --check    float64 self-test: the hand-written LSTM equals torch.nn.LSTM and the hand-written GRU
             torch.nn.GRU (outputs, final state, gradients) with dropout off, and the masks have the
             shapes the schemes promise
  --protocol the comparison protocol of docs/protocol.md on a plain-text corpus (default: the
             Moby-Dick text the samples ship), tokenised and split as docs/data.md says
               --protocol --scheme variational [--epochs 20] [--clip 5] [--corpus PATH] [--out result.json]
  --classifier  the word-level classifier of bench/run's classifier group: vdrop's BenchModels.Classifier
             (variant c's dropout, a softmax over 20 classes at each sequence's last step) trained on
             unsorted ragged batches of synthetic ids (padded, or packed with pack_padded_sequence);
             train tokens/s
               --classifier --train-seconds N [--ragged packed|padded] [--json FILE]

Run it with Debian's PyTorch and the OpenMP OpenBLAS (plain python3-torch links the netlib BLAS):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 vdrop_reference.py --check

Notation (that of vdrop's generated code): for a layer with input x_t and state (h, c),
  z = W (x_t * m_x) + U' (h * m_h) + b,   U' = U * M (weight drop),   gate blocks i, f, g, o of z,
  c' = sigmoid(f) c + sigmoid(i) tanh(g),   h' = sigmoid(o) tanh(c'),   output y = h' * m_y.
Every mask is inverted: a kept unit is scaled by 1/(1-p), so dropout off needs no rescaling.
"""
import argparse
import collections
import dataclasses
import hashlib
import json
import math
import os
import re
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MOBY_DICK = os.path.join(REPO, "samples", "src", "main", "resources", "dev", "vdrop", "samples", "data",
                         "moby-dick.txt")
# The shipped moby-dick.txt; for this file the split sizes below are asserted.
MOBY_DICK_SHA256 = "fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240"
MOBY_DICK_SPLIT = (200_429, 25_054, 25_054)

VOCABULARY = 10_000
UNK, EOS = "<unk>", "<eos>"


# =============================================================================== schemes
@dataclasses.dataclass(frozen=True)
class Scheme:
    """Where a model drops what. Probabilities are drop probabilities; 0 means no mask.

    masks: "tied"   one mask per sequence (row) for the whole segment, shared by the gates (four
                    of an LSTM, three of a GRU);
           "untied" as tied, but the masks on x and on h are one per gate block;
           "step"   a fresh mask at every step and element (Zaremba); never on h.
    """
    name: str
    masks: str = "tied"
    inputs: tuple = (0.0, 0.0)  # on the input of layer 1 (the embedding output) and of layer 2
    recurrent: float = 0.0      # on h before U, every layer
    output: float = 0.0         # on the last layer's output, before the decoder
    weight_drop: float = 0.0    # on every U, one mask per forward pass (mini-batch)
    embedding: float = 0.0      # word types dropped (rows of the embedding matrix)
    embedding_scope: str = "sequence"  # one word-type mask per sequence, or per mini-batch ("batch")

    def describe(self):
        parts = []
        if self.embedding:
            parts.append(f"embedding dropout {self.embedding} per {self.embedding_scope}")
        kind = {"tied": "tied per-sequence", "untied": "untied (one per gate) per-sequence",
                "step": "fresh per-step"}[self.masks]
        if any(self.inputs):
            parts.append(f"{kind} masks on the layer inputs {self.inputs[0]}, {self.inputs[1]}")
        if self.recurrent:
            parts.append(f"on h {self.recurrent}")
        if self.output:
            parts.append(f"on the output {self.output}")
        if self.weight_drop:
            parts.append(f"weight drop {self.weight_drop} on every U, one mask per mini-batch")
        return "; ".join(parts) or "no dropout"


# The five schemes of the comparison protocol (docs/protocol.md).
PROTOCOL_SCHEMES = {
    "none": Scheme("none"),
    "zaremba": Scheme("zaremba", masks="step", inputs=(0.5, 0.5), output=0.5),
    "variational": Scheme("variational", inputs=(0.5, 0.5), recurrent=0.2, output=0.5, embedding=0.2),
    "untied": Scheme("untied", masks="untied", inputs=(0.5, 0.5), recurrent=0.2, output=0.5, embedding=0.2),
    "awd": Scheme("awd", inputs=(0.4, 0.25), output=0.4, weight_drop=0.5, embedding=0.1,
                  embedding_scope="batch"),
}

# The timing variants of bench/run (--pytorch-variant). c is vdrop's BenchModels.
TIMING_VARIANTS = {
    "a": (Scheme("a", masks="step", inputs=(0.5, 0.5), output=0.5),
          "Zaremba: fresh masks p=0.5 on the layer inputs and the output, PyTorch's fused LSTM kernel"),
    "b": (Scheme("b", inputs=(0.5, 0.5), recurrent=0.2, output=0.5, embedding=0.2),
          "variational (Gal): tied masks on inputs 0.5, h 0.2, output 0.5, embedding dropout 0.2 per "
          "sequence, hand-written step loop"),
    "c": (Scheme("c", inputs=(0.4, 0.25), output=0.4, weight_drop=0.5, embedding=0.1),
          "vdrop's BenchModels: tied masks on inputs 0.4, 0.25 and output 0.4, weight drop 0.5 on every U, "
          "embedding dropout 0.1 per sequence, PyTorch's fused LSTM kernel on U*M"),
}
SIZES = {"small": 200, "medium": 650}


# =============================================================================== masks
def keep_mask(shape, p, generator, like):
    """Inverted dropout mask: 1/(1-p) with probability 1-p, else 0; None when p is 0."""
    if p <= 0:
        return None
    m = torch.empty(shape, dtype=like.dtype, device=like.device)
    m.bernoulli_(1.0 - p, generator=generator)
    return m.div_(1.0 - p)


class Masks:
    """The masks of one forward pass (a training segment, or one MC sample of a whole evaluation).

    Per-sequence and per-batch masks are drawn here, once; per-step masks are drawn by step_mask()
    while the pass runs. mc=True is MC-dropout prediction: embedding dropout off, the rest as in
    training (weight drop: one mask for the sample)."""

    def __init__(self, model, rows, generator, mc=False):
        s, like = model.scheme, model.decoder.weight
        self.scheme, self.generator, self.like = s, generator, like
        E, H, V = model.E, model.H, model.V
        self.embedding = None
        if s.embedding > 0 and not mc:
            shape = (V, rows) if s.embedding_scope == "sequence" else (V, 1)
            self.embedding = keep_mask(shape, s.embedding, generator, like)
        sizes = [E] + [H] * (len(model.layers) - 1)
        gates = getattr(model, "gates", 4)  # 4 for an LSTM, 3 for a GRU
        self.inputs, self.recurrent, self.weights = [], [], []
        for layer, size in enumerate(sizes):
            p_in = s.inputs[layer]
            if s.masks == "tied":
                self.inputs.append(keep_mask((1, rows, size), p_in, generator, like))
                self.recurrent.append(keep_mask((rows, H), s.recurrent, generator, like))
            elif s.masks == "untied":
                self.inputs.append(keep_mask((gates, rows, size), p_in, generator, like))
                self.recurrent.append(keep_mask((gates, rows, H), s.recurrent, generator, like))
            else:
                self.inputs.append(None)
                self.recurrent.append(None)
            self.weights.append(keep_mask((gates * H, H), s.weight_drop, generator, like))
        self.output = keep_mask((1, rows, H), s.output, generator, like) if s.masks != "step" else None

    def step_mask(self, x, p):
        """A fresh mask for every element of x (steps, rows, units): Zaremba's per-step dropout."""
        return keep_mask(x.shape, p, self.generator, x) if self.scheme.masks == "step" else None


# =============================================================================== the cells (LSTM, GRU)
def input_terms(x, x_masks, w, b, gates):
    """W x + b for every step of a segment as one product: x (T, B, I) -> (T, B, gates*H). With
    untied input masks x_masks (gates, B, I), gate block k sees x * x_masks[k]: one product per
    block of (T*B, I) by (I, H)."""
    T, B, I = x.shape
    H = w.shape[0] // gates
    if x_masks is None:
        return torch.addmm(b, x.reshape(T * B, I), w.t()).view(T, B, gates * H)
    xk = (x.unsqueeze(0) * x_masks.unsqueeze(1)).reshape(gates, T * B, I)
    z = torch.bmm(xk, w.view(gates, H, I).transpose(1, 2))
    return z.permute(1, 0, 2).reshape(T, B, gates * H) + b


def recurrent_weights(u, h_mask, gates):
    """U'^T for the step product: (H, gates*H), or (gates, H, H) per block when h_mask is untied."""
    H = u.shape[1]
    return u.view(gates, H, H).transpose(1, 2) if h_mask is not None and h_mask.dim() == 3 else u.t()

class Lstm(nn.Module):
    """One LSTM layer written out step by step, with the masks of vdrop's schemes.

    W (4H x I), U (4H x H) and one bias b (4H), gate blocks in the order i, f, g, o (nn.LSTM's, so
    its weights copy over; the order changes nothing else). Two ways to run it, equal in value:
      loop   the hand-written step loop below: x W^T + b for all steps as one product (the input
             masks are constant over the segment), then per step z = that + (h * m_h) U'^T;
             needed for masks on h and for untied masks;
      fused  PyTorch's native LSTM kernel (torch.lstm, what nn.LSTM calls) on W, U' = U * M, b
             and a second bias held at zero: the fastest PyTorch has when nothing masks h.
    """
    gates = 4

    def __init__(self, inputs, units):
        super().__init__()
        self.I, self.H = inputs, units
        self.w = nn.Parameter(torch.empty(4 * units, inputs))
        self.u = nn.Parameter(torch.empty(4 * units, units))
        self.b = nn.Parameter(torch.empty(4 * units))
        self.register_buffer("zero_bias", torch.zeros(4 * units), persistent=False)

    def forward(self, x, state, x_masks=None, h_mask=None, w_mask=None, engine="auto"):
        """x: (T, B, I), already multiplied by a tied or per-step input mask; x_masks: untied input
        masks (4, B, I); h_mask: (B, H) tied or (4, B, H) untied; w_mask: (4H, H). Returns the
        outputs (T, B, H) and the final state (h, c), each (B, H)."""
        u = self.u if w_mask is None else self.u * w_mask
        if engine == "fused" or (engine == "auto" and x_masks is None and h_mask is None):
            if x_masks is not None or h_mask is not None:
                raise ValueError("the fused kernel takes no untied input masks and no mask on h")
            h, c = state
            out, h_n, c_n = torch.lstm(x, (h.unsqueeze(0), c.unsqueeze(0)), [self.w, u, self.b, self.zero_bias],
                                       True, 1, 0.0, False, False, False)
            return out, (h_n.squeeze(0), c_n.squeeze(0))
        return self._loop(x, state, x_masks, h_mask, u)

    def _loop(self, x, state, x_masks, h_mask, u):
        T, B, _ = x.shape
        H = self.H
        zx = input_terms(x, x_masks, self.w, self.b, 4)
        untied_h = h_mask is not None and h_mask.dim() == 3
        ut = recurrent_weights(u, h_mask, 4)
        h, c = state
        outputs = []
        for t in range(T):
            if untied_h:
                zh = torch.bmm(h.unsqueeze(0) * h_mask, ut).permute(1, 0, 2).reshape(B, 4 * H)
                z = zx[t] + zh
            else:
                z = torch.addmm(zx[t], h if h_mask is None else h * h_mask, ut)
            s = torch.sigmoid(z)  # one call for the gates; g's block of it goes unused
            i, f, _, o = s.chunk(4, 1)
            c = torch.addcmul(f * c, i, torch.tanh(z[:, 2 * H:3 * H]))
            h = o * torch.tanh(c)
            outputs.append(h)
        return torch.stack(outputs), (h, c)


class Gru(nn.Module):
    """One GRU layer written out step by step, with the masks of vdrop's schemes.

    PyTorch's and cuDNN's formulation (torch.nn.GRU's, so its weights copy over): W (3H x I),
    U (3H x H), two biases b_x and b_h (3H each: nn.GRU's bias_ih and bias_hh), gate blocks in the
    order r, u, n, and the reset gate applied after the recurrent product:
      a = W (x * m_x) + b_x,   e = U' (h * m_h) + b_h,   U' = U * M (weight drop),
      r = sigmoid(a_r + e_r),  u = sigmoid(a_u + e_u),  n = tanh(a_n + r * e_n),
      h' = (1 - u) * n + u * h.
    Tied masks are shared by the three gates; untied masks are three, one per gate block. Two
    ways to run it, equal in value: the hand-written loop, and PyTorch's native GRU kernel
    (torch.gru) when nothing masks h and the input masks are tied or per step.
    """
    gates = 3

    def __init__(self, inputs, units):
        super().__init__()
        self.I, self.H = inputs, units
        self.w = nn.Parameter(torch.empty(3 * units, inputs))
        self.u = nn.Parameter(torch.empty(3 * units, units))
        self.b_x = nn.Parameter(torch.empty(3 * units))
        self.b_h = nn.Parameter(torch.empty(3 * units))

    def forward(self, x, state, x_masks=None, h_mask=None, w_mask=None, engine="auto"):
        """x: (T, B, I), already multiplied by a tied or per-step input mask; x_masks: untied input
        masks (3, B, I); h_mask: (B, H) tied or (3, B, H) untied; w_mask: (3H, H); state: (h,).
        Returns the outputs (T, B, H) and the final state (h,), h (B, H)."""
        u = self.u if w_mask is None else self.u * w_mask
        (h,) = state
        if engine == "fused" or (engine == "auto" and x_masks is None and h_mask is None):
            if x_masks is not None or h_mask is not None:
                raise ValueError("the fused kernel takes no untied input masks and no mask on h")
            out, h_n = torch.gru(x, h.unsqueeze(0), [self.w, u, self.b_x, self.b_h], True, 1, 0.0, False, False, False)
            return out, (h_n.squeeze(0),)
        return self._loop(x, h, x_masks, h_mask, u)

    def _loop(self, x, h, x_masks, h_mask, u):
        T, B, _ = x.shape
        H = self.H
        ax = input_terms(x, x_masks, self.w, self.b_x, 3)
        untied_h = h_mask is not None and h_mask.dim() == 3
        ut = recurrent_weights(u, h_mask, 3)
        outputs = []
        for t in range(T):
            if untied_h:
                e = torch.bmm(h.unsqueeze(0) * h_mask, ut).permute(1, 0, 2).reshape(B, 3 * H) + self.b_h
            else:
                e = torch.addmm(self.b_h, h if h_mask is None else h * h_mask, ut)
            a = ax[t]
            r = torch.sigmoid(a[:, :H] + e[:, :H])
            z = torch.sigmoid(a[:, H:2 * H] + e[:, H:2 * H])
            n = torch.tanh(a[:, 2 * H:] + r * e[:, 2 * H:])
            h = torch.lerp(n, h, z)  # (1 - u) n + u h
            outputs.append(h)
        return torch.stack(outputs), (h,)


CELLS = {"lstm": Lstm, "gru": Gru}


class LanguageModel(nn.Module):
    """Embedding (V x E) -> LSTM or GRU layers -> a separate decoder (H -> V, with bias)."""

    def __init__(self, scheme, vocabulary, embedding, units, layers=2, engine="auto", cell="lstm"):
        super().__init__()
        self.scheme, self.V, self.E, self.H, self.engine, self.cell = scheme, vocabulary, embedding, units, engine, cell
        self.gates = CELLS[cell].gates
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.layers = nn.ModuleList([CELLS[cell](embedding if l == 0 else units, units) for l in range(layers)])
        self.decoder = nn.Linear(units, vocabulary)

    def initialise(self, scale):
        """Every weight uniform in [-scale, scale], every bias zero."""
        with torch.no_grad():
            self.embedding.weight.uniform_(-scale, scale)
            for layer in self.layers:
                layer.w.uniform_(-scale, scale)
                layer.u.uniform_(-scale, scale)
                for name, p in layer.named_parameters():
                    if name.startswith("b"):
                        p.zero_()
            self.decoder.weight.uniform_(-scale, scale)
            self.decoder.bias.zero_()
        return self

    def zero_state(self, rows):
        """(h, c) per LSTM layer, (h,) per GRU layer, all zero."""
        z = self.decoder.weight.new_zeros(rows, self.H)
        return [(z, z.clone()) if self.cell == "lstm" else (z,) for _ in self.layers]

    def forward(self, tokens, state, masks=None):
        """tokens (T, B) -> logits (T, B, V) and the final state; masks None is dropout off."""
        s = self.scheme
        x = self.embedding(tokens)
        if masks is not None and masks.embedding is not None:
            # dropping a word type zeroes every occurrence of it in the sequence (or batch)
            e = masks.embedding
            keep = e[tokens, torch.arange(tokens.shape[1])] if e.shape[1] > 1 else e[tokens, 0]
            x = x * keep.unsqueeze(2)
        new_state = []
        for l, layer in enumerate(self.layers):
            x_masks = h_mask = w_mask = None
            if masks is not None:
                m = masks.step_mask(x, s.inputs[l]) if s.masks == "step" else masks.inputs[l]
                if m is not None and s.masks == "untied":
                    x_masks = m
                elif m is not None:
                    x = x * m
                h_mask, w_mask = masks.recurrent[l], masks.weights[l]
            x, st = layer(x, state[l], x_masks, h_mask, w_mask, self.engine)
            new_state.append(st)
        if masks is not None:
            m = masks.step_mask(x, s.output) if s.masks == "step" else masks.output
            if m is not None:
                x = x * m
        return self.decoder(x), new_state


def detach(state):
    return [tuple(t.detach() for t in layer) for layer in state]


def segment_loss(logits, targets):
    """Cross-entropy summed over the steps, averaged over the streams (rows)."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="sum") / targets.shape[1]


def sgd_step(model, lr, clip):
    """Plain SGD after clipping the global gradient norm; returns the norm before clipping."""
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)
    return norm.item()


# =============================================================================== timing (bench/run)
def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_batches(rows, steps, seed=0):
    """Uniform random token ids: throughput does not depend on the text."""
    g = torch.Generator().manual_seed(seed)
    data = torch.randint(0, VOCABULARY, (rows * (steps * 200 + 1),), generator=g).view(rows, -1).t().contiguous()
    n = (data.shape[0] - 1) // steps
    while True:
        for i in range(n):
            yield data[i * steps:(i + 1) * steps], data[i * steps + 1:(i + 1) * steps + 1]


def timed(step, warmup, seconds, min_runs, max_runs, warmup_seconds=0.0):
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < warmup_seconds:
        step()
        done += 1
    times, start = [], time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - start < seconds):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return times


def summary(times, tokens):
    median = statistics.median(times)
    return {"tok_s": tokens / median, "median_ms": median * 1e3, "min_ms": min(times) * 1e3,
            "max_ms": max(times) * 1e3, "batches": len(times)}


def run_timing(args):
    rows, steps = 20, 35
    torch.manual_seed(1234)
    rss_import = rss_mb()
    scheme, name = TIMING_VARIANTS[args.variant]
    size = SIZES[args.config]
    model = LanguageModel(scheme, VOCABULARY, size, size, engine=args.engine, cell=args.cell).initialise(0.1)
    generator = torch.Generator().manual_seed(1)
    batches = synthetic_batches(rows, steps)
    st = {"state": model.zero_state(rows)}

    def train_step():
        # masks, zero gradients, forward with the softmax over V and the loss, backward,
        # global norm, SGD (lr 1) clipped to norm 5: the step vdrop's bench times
        x, y = next(batches)
        masks = Masks(model, rows, generator)
        model.zero_grad(set_to_none=True)
        logits, state = model(x, detach(st["state"]), masks)
        loss = segment_loss(logits, y)
        loss.backward()
        sgd_step(model, 1.0, 5.0)
        st["state"], st["loss"] = state, loss.item() / steps

    def forward_step(mc):
        x, y = next(batches)
        with torch.no_grad():
            masks = Masks(model, rows, generator, mc=True) if mc else None
            logits, st["state"] = model(x, st["state"], masks)
            st["loss"] = segment_loss(logits, y).item() / steps

    result = {"config": args.config, "variant": args.variant, "variant_name": name, "E": size, "H": size,
              "params": sum(p.numel() for p in model.parameters()), "engine": args.engine, "cell": args.cell,
              "torch": torch.__version__, "threads": torch.get_num_threads(),
              "blas": os.environ.get("BENCH_BLAS_LABEL", "?"), "uptime_before": os.environ.get("BENCH_UPTIME", ""),
              "script": "bench/reference/vdrop_reference.py"}
    result["train_warmup_s"] = args.warmup_seconds
    result["train"] = summary(timed(train_step, args.warmup, args.train_seconds, args.min_batches,
                                    args.max_batches, args.warmup_seconds), rows * steps)
    result["train_last_loss"] = st["loss"]
    st["state"] = model.zero_state(rows)
    result["infer_eval"] = summary(timed(lambda: forward_step(False), args.warmup, args.infer_seconds,
                                         args.min_batches, args.max_batches * 3), rows * steps)
    if not args.skip_mc:
        st["state"] = model.zero_state(rows)
        result["infer_mc"] = summary(timed(lambda: forward_step(True), args.warmup, args.infer_seconds,
                                           args.min_batches, args.max_batches * 3), rows * steps)
    result["rss_after_import_mb"] = rss_import
    result["peak_rss_mb"] = rss_mb()
    return result


# =============================================================================== classifier (bench/run classifier)
# vdrop's BenchModels.Classifier and its batches (bench/src/main/java/dev/vdrop/bench/ClassifierConfig.java):
# SMALL sizes, variant c's dropout, 20 classes at the last step; 8 batches of 20 sequences whose lengths
# both sides draw from the same 32-bit LCG, so both train on batches of the same shapes.
CLASSIFIER = {"vocabulary": VOCABULARY, "embedding": 200, "units": 200, "classes": 20, "rows": 20,
              "shortest": 20, "longest": 300, "batches": 8, "length_seed": 300}


def classifier_lengths(batches, rows, shortest, longest, seed):
    """Sequence lengths uniform in [shortest, longest], unsorted, batch after batch: x <- (1664525 x +
    1013904223) mod 2^32 from x = seed, length = shortest + (x >> 8) mod (longest - shortest + 1).
    ClassifierConfig.lengths() in the Java bench computes the same numbers."""
    x, span, out = seed, longest - shortest + 1, []
    for _ in range(batches):
        row = []
        for _ in range(rows):
            x = (1664525 * x + 1013904223) % (1 << 32)
            row.append(shortest + (x >> 8) % span)
        out.append(row)
    return out


class Classifier(nn.Module):
    """Embedding (V x E) -> LSTM layers -> each sequence's h at its own last step -> a linear head
    (H -> classes), the softmax over the classes: vdrop's @Softmax(over = LAST_STEP).

    A batch is padded (T, B) ids with their lengths, unsorted. The layers run on the packed sequences
    (torch.nn.utils.rnn.pack_padded_sequence, enforce_sorted=False) through PyTorch's fused LSTM kernel
    (torch.lstm on packed data, what nn.LSTM calls for a PackedSequence): at step t only the
    sequences still running are computed, as vdrop's ragged pass does, and nothing is computed for
    padding. The masks are variant c's, each sequence's tied masks applied to its own packed rows.

    ragged="padded" (the default) runs the padded batch instead (_padded): more steps, but in PyTorch
    1.13 on the CPU the packed path's backward is the slower of the two by far — each step's slice of
    the packed rows is differentiated as a zero-filled gradient the size of all rows plus an add
    (SliceBackward0: aten::add took 92% of one packed batch's backward in torch.profiler)."""

    def __init__(self, scheme, vocabulary, embedding, units, classes, layers=2, ragged="padded"):
        super().__init__()
        self.scheme, self.V, self.E, self.H, self.C, self.ragged = scheme, vocabulary, embedding, units, classes, ragged
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.layers = nn.ModuleList([Lstm(embedding if l == 0 else units, units) for l in range(layers)])
        self.decoder = nn.Linear(units, classes)  # the head; Masks takes its dtype from "decoder"

    initialise = LanguageModel.initialise

    def forward(self, tokens, lengths, masks=None):
        """tokens (T, B) padded ids, lengths (B,) -> logits (B, classes); masks None is dropout off."""
        if self.ragged == "padded":
            return self._padded(tokens, lengths, masks)
        T, B = tokens.shape
        packed = nn.utils.rnn.pack_padded_sequence(tokens, lengths, enforce_sorted=False)
        # the sequence (column of the batch) of every packed row
        seq = nn.utils.rnn.pack_padded_sequence(torch.arange(B).expand(T, B), lengths, enforce_sorted=False).data
        ids, batch_sizes = packed.data, packed.batch_sizes
        x = self.embedding(ids)
        if masks is not None and masks.embedding is not None:
            x = x * masks.embedding[ids, seq].unsqueeze(1)
        zero = x.new_zeros(1, B, self.H)
        for l, layer in enumerate(self.layers):
            u = layer.u
            if masks is not None:
                if masks.inputs[l] is not None:
                    x = x * masks.inputs[l][0][seq]
                if masks.weights[l] is not None:
                    u = layer.u * masks.weights[l]
            x, h_n, _ = torch.lstm(x, batch_sizes, (zero, zero), [layer.w, u, layer.b, layer.zero_bias],
                                   True, 1, 0.0, self.training, False)
        # h_n holds the last step of each sequence in sorted order; back to the batch's order
        last = h_n[0].index_select(0, packed.unsorted_indices)
        if masks is not None and masks.output is not None:
            last = last * masks.output[0]
        return self.decoder(last)

    def _padded(self, tokens, lengths, masks):
        """The masking alternative (--ragged padded): every sequence runs all T steps of the padded
        batch, and the head reads each one's h at its own last step; the steps past a sequence's end
        cannot change that h, so the values are the packed ones, with the padding's work on top."""
        T, B = tokens.shape
        x = self.embedding(tokens)
        if masks is not None and masks.embedding is not None:
            x = x * masks.embedding[tokens, torch.arange(B)].unsqueeze(2)
        zero = x.new_zeros(1, B, self.H)
        for l, layer in enumerate(self.layers):
            u = layer.u
            if masks is not None:
                if masks.inputs[l] is not None:
                    x = x * masks.inputs[l]
                if masks.weights[l] is not None:
                    u = layer.u * masks.weights[l]
            x, _, _ = torch.lstm(x, (zero, zero), [layer.w, u, layer.b, layer.zero_bias],
                                 True, 1, 0.0, self.training, False, False)
        last = x[lengths - 1, torch.arange(B)]
        if masks is not None and masks.output is not None:
            last = last * masks.output[0]
        return self.decoder(last)


def classifier_reference_logits(model, tokens, lengths, masks):
    """The same classifier one sequence at a time through the hand-written loop, for --check."""
    s, out = model.scheme, []
    for b in range(tokens.shape[1]):
        t = tokens[:lengths[b], b:b + 1]
        x = model.embedding(t)
        if masks is not None and masks.embedding is not None:
            x = x * masks.embedding[t, b].unsqueeze(2)
        state = None
        for l, layer in enumerate(model.layers):
            if masks is not None and masks.inputs[l] is not None:
                x = x * masks.inputs[l][:, b:b + 1]
            zero = x.new_zeros(1, model.H)
            x, state = layer(x, (zero, zero.clone()), None, None,
                             None if masks is None else masks.weights[l], engine="loop")
        h = state[0]
        if masks is not None and masks.output is not None:
            h = h * masks.output[0, b:b + 1]
        out.append(model.decoder(h))
    return torch.cat(out)


def run_classifier_timing(args):
    cfg = CLASSIFIER
    torch.manual_seed(1234)
    rss_import = rss_mb()
    scheme, name = TIMING_VARIANTS["c"]
    model = Classifier(scheme, cfg["vocabulary"], cfg["embedding"], cfg["units"], cfg["classes"],
                       ragged=args.ragged).initialise(0.1)
    model.train()
    rows = cfg["rows"]
    g = torch.Generator().manual_seed(1)
    batches = []
    for lengths in classifier_lengths(cfg["batches"], rows, cfg["shortest"], cfg["longest"], cfg["length_seed"]):
        tokens = torch.randint(0, cfg["vocabulary"], (max(lengths), rows), generator=g)
        labels = torch.randint(0, cfg["classes"], (rows,), generator=g)
        batches.append((tokens, torch.tensor(lengths), labels))
    tokens_per_cycle = sum(int(b[1].sum()) for b in batches)
    st = {}

    def train_cycle():
        # per batch: masks, zero gradients, forward with the softmax over the classes and the loss
        # (cross-entropy averaged over the sequences), backward, global norm, SGD (lr 1) clipped to
        # norm 5: the step vdrop's classifier bench times
        for tokens, lengths, labels in batches:
            masks = Masks(model, rows, g)
            model.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(tokens, lengths, masks), labels)
            loss.backward()
            sgd_step(model, 1.0, 5.0)
            st["loss"] = loss.item()

    result = {"config": "classifier", "variant": "c", "variant_name": name, "model": dict(cfg),
              "lengths_mean": tokens_per_cycle / (rows * cfg["batches"]), "tokens_per_cycle": tokens_per_cycle,
              "params": sum(p.numel() for p in model.parameters()), "ragged": args.ragged,
              "torch": torch.__version__, "threads": torch.get_num_threads(),
              "blas": os.environ.get("BENCH_BLAS_LABEL", "?"), "uptime_before": os.environ.get("BENCH_UPTIME", ""),
              "script": "bench/reference/vdrop_reference.py"}
    # a run is a pass over the batches (a cycle): one cycle of warm-up (none with --warmup 0), then at
    # least 3 cycles (fewer with --min-batches below 3) and until --train-seconds have passed
    times = timed(train_cycle, 1 if args.warmup > 0 else 0, args.train_seconds, min(3, args.min_batches),
                  args.max_batches)
    result["train"] = summary(times, tokens_per_cycle)
    result["train"]["sequences_s"] = rows * cfg["batches"] / statistics.median(times)
    result["train_last_loss"] = st["loss"]
    if not math.isfinite(st["loss"]):
        raise SystemExit(f"the classifier's training loss is {st['loss']}")
    result["rss_after_import_mb"] = rss_import
    result["peak_rss_mb"] = rss_mb()
    return result


# =============================================================================== --check
def check():
    """float64: the hand-written LSTM against torch.nn.LSTM and the GRU against torch.nn.GRU, then
    the masks' structure.

    Tolerance 1e-10 on the largest absolute difference, values and gradients being O(1): the two
    implementations do the same arithmetic in a different order (one bias instead of two, other
    GEMM blockings), so in float64 (unit roundoff 1.1e-16) they agree to ~1e-14 over 35 steps;
    a wrong gate order, a missing bias or a misplaced mask differs by 1e-3 or more."""
    torch.manual_seed(0)
    dtype, tol = torch.float64, 1e-10
    T, B, I, H = 35, 4, 6, 5
    failures = []

    def report(what, a, b):
        d = (a - b).abs().max().item()
        ok = d <= tol
        print(f"  {what:<44} max |diff| = {d:.2e} {'ok' if ok else 'FAILED'}")
        if not ok:
            failures.append(what)

    reference = nn.LSTM(I, H, 1).to(dtype)
    ours = Lstm(I, H).to(dtype)
    with torch.no_grad():
        ours.w.copy_(reference.weight_ih_l0)
        ours.u.copy_(reference.weight_hh_l0)
        ours.b.copy_(reference.bias_ih_l0 + reference.bias_hh_l0)
    x = torch.randn(T, B, I, dtype=dtype)
    h0, c0 = torch.randn(B, H, dtype=dtype), torch.randn(B, H, dtype=dtype)
    weights = [torch.randn(T, B, H, dtype=dtype), torch.randn(B, H, dtype=dtype), torch.randn(B, H, dtype=dtype)]

    def run(f):
        """outputs, h_T, c_T, and the gradients of a random linear function of them."""
        xs, hs, cs = (v.clone().requires_grad_() for v in (x, h0, c0))
        out, (h, c) = f(xs, hs, cs)
        loss = (out * weights[0]).sum() + (h * weights[1]).sum() + (c * weights[2]).sum()
        return [out, h, c] + list(torch.autograd.grad(loss, [xs, hs, cs] + f.params))

    def torch_lstm(xs, hs, cs):
        out, (h, c) = reference(xs, (hs.unsqueeze(0), cs.unsqueeze(0)))
        return out, (h.squeeze(0), c.squeeze(0))
    torch_lstm.params = [reference.weight_ih_l0, reference.weight_hh_l0, reference.bias_ih_l0]

    def engine(name, x_masks=None, h_mask=None):
        def f(xs, hs, cs):
            return ours(xs, (hs, cs), x_masks=x_masks, h_mask=h_mask, engine=name)
        f.params = [ours.w, ours.u, ours.b]
        return f

    labels = ["outputs", "h_T", "c_T", "dL/dx", "dL/dh0", "dL/dc0", "dL/dW", "dL/dU", "dL/db"]
    expected = run(torch_lstm)
    print(f"check (float64, tolerance {tol:g}): one layer, T={T}, B={B}, I={I}, H={H}, nn.LSTM vs")
    for name in ("loop", "fused"):
        for label, a, b in zip(labels, run(engine(name)), expected):
            report(f"{name}: {label}", a, b)
    # untied masks that happen to be all ones, and a tied mask of ones on h, take the other code paths
    ones4, ones_h = torch.ones(4, B, I, dtype=dtype), torch.ones(4, B, H, dtype=dtype)
    for label, a, b in zip(labels, run(engine("loop", ones4, ones_h)), expected):
        report(f"loop, untied masks of ones: {label}", a, b)
    for label, a, b in zip(labels, run(engine("loop", None, torch.ones(B, H, dtype=dtype))), expected):
        report(f"loop, tied mask of ones on h: {label}", a, b)

    # The whole model with dropout off against nn.Embedding -> nn.LSTM(2 layers) -> nn.Linear.
    V, E = 50, 7
    for name in ("loop", "auto"):
        lm = LanguageModel(PROTOCOL_SCHEMES["variational"], V, E, H, engine=name).to(dtype).initialise(0.5)
        stack = nn.LSTM(E, H, 2).to(dtype)
        with torch.no_grad():
            for l, layer in enumerate(lm.layers):
                getattr(stack, f"weight_ih_l{l}").copy_(layer.w)
                getattr(stack, f"weight_hh_l{l}").copy_(layer.u)
                getattr(stack, f"bias_ih_l{l}").copy_(layer.b)
                getattr(stack, f"bias_hh_l{l}").zero_()
        tokens = torch.randint(0, V, (T, B))
        logits, _ = lm(tokens, lm.zero_state(B))
        out, _ = stack(lm.embedding(tokens))
        report(f"2-layer model ({name}), dropout off: logits", logits, lm.decoder(out))

    # The GRU: the hand-written layer against torch.nn.GRU (its two biases copied as they are).
    g_reference = nn.GRU(I, H, 1).to(dtype)
    g_ours = Gru(I, H).to(dtype)
    with torch.no_grad():
        g_ours.w.copy_(g_reference.weight_ih_l0)
        g_ours.u.copy_(g_reference.weight_hh_l0)
        g_ours.b_x.copy_(g_reference.bias_ih_l0)
        g_ours.b_h.copy_(g_reference.bias_hh_l0)

    def run_gru(f):
        """outputs, h_T, and the gradients of a random linear function of them."""
        xs, hs = x.clone().requires_grad_(), h0.clone().requires_grad_()
        out, (h,) = f(xs, hs)
        loss = (out * weights[0]).sum() + (h * weights[1]).sum()
        return [out, h] + list(torch.autograd.grad(loss, [xs, hs] + f.params))

    def torch_gru(xs, hs):
        out, h = g_reference(xs, hs.unsqueeze(0))
        return out, (h.squeeze(0),)
    torch_gru.params = [g_reference.weight_ih_l0, g_reference.weight_hh_l0, g_reference.bias_ih_l0,
                        g_reference.bias_hh_l0]

    def gru_engine(name, x_masks=None, h_mask=None):
        def f(xs, hs):
            return g_ours(xs, (hs,), x_masks=x_masks, h_mask=h_mask, engine=name)
        f.params = [g_ours.w, g_ours.u, g_ours.b_x, g_ours.b_h]
        return f

    g_labels = ["outputs", "h_T", "dL/dx", "dL/dh0", "dL/dW", "dL/dU", "dL/db_x", "dL/db_h"]
    g_expected = run_gru(torch_gru)
    print(f"GRU (float64, tolerance {tol:g}): one layer, T={T}, B={B}, I={I}, H={H}, nn.GRU vs")
    for name in ("loop", "fused"):
        for label, a, b in zip(g_labels, run_gru(gru_engine(name)), g_expected):
            report(f"GRU {name}: {label}", a, b)
    ones3, ones3_h = torch.ones(3, B, I, dtype=dtype), torch.ones(3, B, H, dtype=dtype)
    for label, a, b in zip(g_labels, run_gru(gru_engine("loop", ones3, ones3_h)), g_expected):
        report(f"GRU loop, untied masks of ones: {label}", a, b)
    for label, a, b in zip(g_labels, run_gru(gru_engine("loop", None, torch.ones(B, H, dtype=dtype))), g_expected):
        report(f"GRU loop, tied mask of ones on h: {label}", a, b)
    for name in ("loop", "auto"):
        lm = LanguageModel(PROTOCOL_SCHEMES["variational"], V, E, H, engine=name, cell="gru").to(dtype).initialise(0.5)
        with torch.no_grad():
            for layer in lm.layers:  # nonzero biases, so that b_x and b_h are each checked in place
                layer.b_x.uniform_(-0.5, 0.5)
                layer.b_h.uniform_(-0.5, 0.5)
        stack = nn.GRU(E, H, 2).to(dtype)
        with torch.no_grad():
            for l, layer in enumerate(lm.layers):
                getattr(stack, f"weight_ih_l{l}").copy_(layer.w)
                getattr(stack, f"weight_hh_l{l}").copy_(layer.u)
                getattr(stack, f"bias_ih_l{l}").copy_(layer.b_x)
                getattr(stack, f"bias_hh_l{l}").copy_(layer.b_h)
        tokens = torch.randint(0, V, (T, B))
        logits, _ = lm(tokens, lm.zero_state(B))
        out, _ = stack(lm.embedding(tokens))
        report(f"2-layer GRU model ({name}), dropout off: logits", logits, lm.decoder(out))

    # Masks: what each scheme promises, seen in the input layer 1 receives and in U's gradient.
    print("masks (training, float64, 200 units so the dropped fractions are measurable):")
    V2, E2, H2, rows, steps = 300, 200, 200, 8, 12
    g = torch.Generator().manual_seed(3)

    def expect(what, ok, detail=""):
        print(f"  {what:<58} {detail} {'ok' if ok else 'FAILED'}")
        if not ok:
            failures.append(what)

    def layer1_input(scheme, vocabulary=V2, cell="lstm"):
        """A training pass: the model, its masks, the tokens and the input layer 1 received."""
        m = LanguageModel(scheme, vocabulary, E2, H2, cell=cell).to(dtype).initialise(0.1)
        toks = torch.randint(0, vocabulary, (steps * 3, rows), generator=g)
        masks = Masks(m, rows, g)
        seen = {}

        def grab(module, inputs):  # a pre-hook that returns nothing leaves the inputs alone
            seen["x"] = inputs[0]
        hook = m.layers[0].register_forward_pre_hook(grab)
        logits, _ = m(toks, m.zero_state(rows), masks)
        hook.remove()
        logits.sum().backward()
        return m, masks, toks, seen["x"].detach()

    _, masks, _, x = layer1_input(Scheme("tied", inputs=(0.5, 0.5), recurrent=0.2, output=0.5))
    dropped = masks.inputs[0][0] == 0
    expect("tied: the input mask is the same at every step", bool(((x == 0) == dropped).all()),
           f"dropped {dropped.double().mean().item():.3f} (p = 0.5)")
    expect("tied: each sequence draws its own mask", not bool((dropped[0] == dropped[1]).all()))
    kept = masks.inputs[0][~(masks.inputs[0] == 0)]
    expect("tied: kept units are scaled by 1/(1-p)", bool((kept == 2.0).all()))
    expect("tied: one mask on h per sequence", masks.recurrent[0].shape == (rows, H2),
           f"dropped {(masks.recurrent[0] == 0).double().mean().item():.3f} (p = 0.2)")

    _, masks, _, _ = layer1_input(PROTOCOL_SCHEMES["untied"])
    mx, mh = masks.inputs[0], masks.recurrent[0]
    distinct = all(not bool((mx[0] == mx[k]).all()) and not bool((mh[0] == mh[k]).all()) for k in (1, 2, 3))
    expect("untied: four different masks on x and on h", distinct and mx.shape[0] == 4 and mh.shape[0] == 4)

    _, _, _, x = layer1_input(PROTOCOL_SCHEMES["zaremba"])
    zero = x == 0
    expect("zaremba: a fresh input mask at every step", not bool((zero[0] == zero[1]).all()),
           f"dropped {zero.double().mean().item():.3f} (p = 0.5)")

    m, masks, _, _ = layer1_input(Scheme("wd", weight_drop=0.5))
    for l, layer in enumerate(m.layers):
        zero_u = layer.u.grad == 0
        expect(f"weight drop: U{l + 1}'s gradient is zero exactly where M is",
               bool((zero_u == (masks.weights[l] == 0)).all()), f"dropped {zero_u.double().mean().item():.3f} (p = 0.5)")

    _, masks, _, _ = layer1_input(PROTOCOL_SCHEMES["untied"], cell="gru")
    mx, mh = masks.inputs[0], masks.recurrent[0]
    distinct = all(not bool((mx[0] == mx[k]).all()) and not bool((mh[0] == mh[k]).all()) for k in (1, 2))
    expect("GRU untied: three different masks on x and on h", distinct and mx.shape[0] == 3 and mh.shape[0] == 3)
    m, masks, _, _ = layer1_input(Scheme("wd", weight_drop=0.5), cell="gru")
    for l, layer in enumerate(m.layers):
        zero_u = layer.u.grad == 0
        expect(f"GRU weight drop: U{l + 1}'s gradient is zero exactly where M is",
               bool((zero_u == (masks.weights[l] == 0)).all()) and masks.weights[l].shape == (3 * H2, H2),
               f"dropped {zero_u.double().mean().item():.3f} (p = 0.5)")
    _, masks, _, x = layer1_input(Scheme("tied", inputs=(0.5, 0.5), recurrent=0.2, output=0.5), cell="gru")
    expect("GRU tied: the input mask is the same at every step", bool(((x == 0) == (masks.inputs[0][0] == 0)).all()))

    # 20 word types in 36 steps: every word occurs several times in a sequence
    _, masks, toks, x = layer1_input(Scheme("emb", embedding=0.5), vocabulary=20)
    zero_vector = (x == 0).all(dim=2)
    expect("embedding dropout: a dropped word is zero wherever it occurs in its sequence",
           bool((zero_vector == (masks.embedding[toks, torch.arange(rows)] == 0)).all()),
           f"{zero_vector.double().mean().item():.3f} of positions zero (p = 0.5)")
    _, masks, _, _ = layer1_input(PROTOCOL_SCHEMES["awd"])
    expect("awd: one embedding mask for the whole mini-batch", masks.embedding.shape == (V2, 1))
    expect("MC masks: no embedding dropout", Masks(LanguageModel(PROTOCOL_SCHEMES["awd"], V2, E2, H2), rows, g,
                                                   mc=True).embedding is None)

    # The classifier on packed, unsorted ragged sequences against the same model one sequence at a
    # time (hand-written loop), with dropout off and with variant c's training masks: the packed
    # rows must meet their own sequence's masks.
    print("classifier (float64, packed ragged batch vs one sequence at a time):")
    clf = Classifier(TIMING_VARIANTS["c"][0], V2, 7, H, 3, ragged="packed").to(dtype).initialise(0.5)
    lengths = torch.tensor([5, 12, 1, 9, 12])
    toks = torch.randint(0, V2, (12, 5), generator=g)
    report("classifier, dropout off: logits", clf(toks, lengths), classifier_reference_logits(clf, toks, lengths, None))
    cmasks = Masks(clf, 5, g)
    report("classifier, training masks: logits", clf(toks, lengths, cmasks),
           classifier_reference_logits(clf, toks, lengths, cmasks))
    clf.ragged = "padded"
    report("classifier, padded, training masks: logits", clf(toks, lengths, cmasks),
           classifier_reference_logits(clf, toks, lengths, cmasks))
    expect("classifier lengths: the LCG's first draws", classifier_lengths(1, 3, 20, 300, 300) == [[82, 166, 181]],
           str(classifier_lengths(1, 3, 20, 300, 300)))

    print("check", "OK" if not failures else "FAILED: " + ", ".join(failures))
    return not failures


# =============================================================================== data convention
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?]")


def tokenise(text):
    """docs/data.md: lower-case, paragraphs at blank lines, the token pattern, <eos> per paragraph."""
    stream, paragraph = [], []
    for line in text.lower().splitlines():
        if line.strip():
            paragraph.extend(TOKEN.findall(line))
        elif paragraph:
            stream.extend(paragraph)
            stream.append(EOS)
            paragraph = []
    if paragraph:
        stream.extend(paragraph)
        stream.append(EOS)
    return stream


def load_corpus(path):
    raw = open(path, "rb").read()
    tokens = tokenise(raw.decode("utf-8"))
    n = len(tokens)
    a, b = n * 8 // 10, n * 9 // 10
    train, valid, test = tokens[:a], tokens[a:b], tokens[b:]
    counts = collections.Counter(train)
    first = {}
    for i, t in enumerate(train):
        first.setdefault(t, i)
    words = [UNK] + sorted((t for t in counts if t != UNK), key=lambda t: (-counts[t], first[t]))[:VOCABULARY - 1]
    if len(words) < VOCABULARY:
        raise SystemExit(f"the corpus has {len(words) - 1} distinct training tokens; the preset needs "
                         f"{VOCABULARY - 1}")
    index = {w: i for i, w in enumerate(words)}
    ids = [torch.tensor([index.get(t, 0) for t in part], dtype=torch.long) for part in (train, valid, test)]
    info = {"corpus": os.path.relpath(os.path.abspath(path), REPO) if os.path.abspath(path).startswith(REPO)
            else path, "sha256": hashlib.sha256(raw).hexdigest(), "tokens": n,
            "split": [len(train), len(valid), len(test)], "distinct_training_tokens": len(counts),
            "coverage": [sum(t in index for t in part) / len(part) for part in (train, valid, test)]}
    if info["sha256"] == MOBY_DICK_SHA256:
        assert tuple(info["split"]) == MOBY_DICK_SPLIT, f"Moby-Dick splits into {info['split']}, not {MOBY_DICK_SPLIT}"
    return ids, info


def streams(ids, rows):
    """The token ids cut into `rows` equal streams, the remainder dropped: (length, rows)."""
    length = ids.numel() // rows
    return ids[:length * rows].view(rows, length).t().contiguous()


def segments(data, steps):
    """(input, target) segments of `steps` steps; the last one may be shorter."""
    for start in range(0, data.shape[0] - 1, steps):
        n = min(steps, data.shape[0] - 1 - start)
        yield data[start:start + n], data[start + 1:start + 1 + n]


# =============================================================================== protocol
def target_log_probs(model, data, steps, masks):
    """log p(target) of every prediction of the streams `data`, the state carried from zero."""
    out = []
    state = model.zero_state(data.shape[1])
    with torch.no_grad():
        for x, y in segments(data, steps):
            logits, state = model(x, state, masks)
            out.append(torch.log_softmax(logits, dim=-1).gather(2, y.unsqueeze(2)).squeeze(2))
    return torch.cat(out).double()


def perplexity(model, data, steps):
    """Standard dropout approximation: dropout off."""
    return math.exp(-target_log_probs(model, data, steps, None).mean().item())


def mc_perplexity(model, data, steps, samples, generator):
    """MC dropout: K passes over the whole split, each with one set of masks per stream for the whole
    evaluation (one weight-drop mask per pass; zaremba keeps fresh per-step masks); the probability
    of each target is the mean of the K probabilities; perplexity = exp(-mean log of that mean)."""
    mean = None
    for _ in range(samples):
        masks = Masks(model, data.shape[1], generator, mc=True)
        p = target_log_probs(model, data, steps, masks).exp()
        mean = p if mean is None else mean + p
    return math.exp(-(mean / samples).log().mean().item())


def run_protocol(args):
    preset = {"name": "moby-small", "vocabulary": VOCABULARY, "embedding": 200, "units": 200, "layers": 2,
              "streams": 20, "steps": 35, "eval_streams": 10, "init_scale": 0.1, "lr": 1.0, "decay": 1.2,
              "decay_from_epoch": 7, "clip": args.clip, "mc_samples": args.mc_samples}
    scheme = PROTOCOL_SCHEMES[args.scheme]
    (train, valid, test), data_info = load_corpus(args.corpus)
    print(f"corpus {data_info['corpus']}: {data_info['tokens']:,} tokens, split "
          f"{' / '.join(f'{n:,}' for n in data_info['split'])}, {data_info['distinct_training_tokens']:,} distinct "
          f"training tokens, coverage {' / '.join(f'{100 * c:.1f}%' for c in data_info['coverage'])}", flush=True)
    print(f"scheme {scheme.name}: {scheme.describe()}; seed {args.seed}, MC seed {args.mc_seed}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)

    torch.manual_seed(args.seed)
    model = LanguageModel(scheme, VOCABULARY, preset["embedding"], preset["units"], preset["layers"],
                          engine=args.engine, cell=args.cell).initialise(preset["init_scale"])
    masks_rng = torch.Generator().manual_seed(args.seed)
    rows, steps = preset["streams"], preset["steps"]
    train_data = streams(train, rows)
    valid_data, test_data = streams(valid, preset["eval_streams"]), streams(test, preset["eval_streams"])
    epochs, best, best_state = [], None, None
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        lr = preset["lr"] * preset["decay"] ** -max(0, epoch - preset["decay_from_epoch"])
        model.train()
        state, total, count, t0 = model.zero_state(rows), 0.0, 0, time.time()
        for x, y in segments(train_data, steps):
            masks = Masks(model, rows, masks_rng) if scheme.name != "none" else None
            model.zero_grad(set_to_none=True)
            logits, state = model(x, state, masks)
            loss = segment_loss(logits, y)
            loss.backward()
            sgd_step(model, lr, preset["clip"])
            state = detach(state)
            total += loss.item() * rows
            count += y.numel()
            if not math.isfinite(total):
                raise SystemExit(f"epoch {epoch}: the training loss is {total}")
        seconds = time.time() - t0
        valid_ppl = perplexity(model, valid_data, steps)
        row = {"epoch": epoch, "lr": lr, "train_ppl": math.exp(total / count), "valid_ppl": valid_ppl,
               "train_tokens_per_s": count / seconds, "seconds": seconds}
        epochs.append(row)
        if best is None or valid_ppl < best["valid_ppl"]:
            best = {"epoch": epoch, "valid_ppl": valid_ppl}
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        print(f"epoch {epoch:2d}  lr {lr:.4f}  train ppl {row['train_ppl']:8.2f}  valid ppl {valid_ppl:8.2f}  "
              f"{row['train_tokens_per_s']:,.0f} tokens/s  {seconds:.0f} s", flush=True)

    final = {"valid_ppl": perplexity(model, valid_data, steps), "test_ppl": perplexity(model, test_data, steps)}
    if scheme.name == "none":
        final["valid_ppl_mc"], final["test_ppl_mc"] = final["valid_ppl"], final["test_ppl"]
    else:
        t0 = time.time()
        mc = torch.Generator().manual_seed(args.mc_seed)
        final["valid_ppl_mc"] = mc_perplexity(model, valid_data, steps, args.mc_samples, mc)
        final["test_ppl_mc"] = mc_perplexity(model, test_data, steps, args.mc_samples, mc)
        final["mc_seconds"] = time.time() - t0
    last_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    best["test_ppl"] = perplexity(model, test_data, steps)
    model.load_state_dict(last_state)
    predictions = [(d.shape[0] - 1) * d.shape[1] for d in (valid_data, test_data)]
    print(f"after epoch {args.epochs}: valid ppl {final['valid_ppl']:.2f}, test ppl {final['test_ppl']:.2f}, "
          f"MC (K = {args.mc_samples}) valid {final['valid_ppl_mc']:.2f}, test {final['test_ppl_mc']:.2f}; "
          f"best valid {best['valid_ppl']:.2f} at epoch {best['epoch']} (test there {best['test_ppl']:.2f}); "
          f"{predictions[0]:,} / {predictions[1]:,} predictions scored; {time.time() - start:.0f} s", flush=True)
    result = {"script": "bench/reference/vdrop_reference.py", "command": " ".join(["vdrop_reference.py"] + sys.argv[1:]),
              "preset": preset, "scheme": dataclasses.asdict(scheme), "scheme_masks": scheme.describe(),
              "seed": args.seed, "mc_seed": args.mc_seed, "epochs_run": args.epochs, "data": data_info,
              "predictions_scored": {"valid": predictions[0], "test": predictions[1]},
              "final": final, "best": best, "epochs": epochs, "seconds": time.time() - start,
              "torch": torch.__version__, "threads": torch.get_num_threads(),
              "engine": args.engine, "cell": args.cell, "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        print(f"wrote {args.out}")
    return result


# =============================================================================== main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See bench/README.md and docs/protocol.md.")
    ap.add_argument("--check", action="store_true", help="float64 self-test against torch.nn.LSTM; exit 1 on a mismatch")
    ap.add_argument("--protocol", action="store_true", help="train and evaluate one scheme of the comparison protocol")
    ap.add_argument("--classifier", action="store_true",
                    help="time the word-level classifier on ragged batches (bench/run classifier)")
    ap.add_argument("--ragged", choices=["packed", "padded"], default="padded",
                    help="the classifier's ragged batches: padded (default: every sequence runs the batch's "
                         "longest length through the fused kernel, the head reads each one's own last step) or "
                         "packed (pack_padded_sequence: no work for padding, but in PyTorch 1.13 on the CPU the "
                         "backward pass through the packed rows costs several times the padded one's)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--cell", choices=list(CELLS), default="lstm",
                    help="the recurrent cell of the language model (timing and --protocol): lstm (default) or gru, "
                         "torch.nn.GRU's formulation with two biases")
    ap.add_argument("--engine", choices=["auto", "loop"], default="auto",
                    help="auto: PyTorch's fused kernel where nothing masks h, else the hand-written loop; "
                         "loop: always the hand-written loop")
    timing = ap.add_argument_group("timing (bench/run)")
    timing.add_argument("--config", choices=SIZES, default="small")
    timing.add_argument("--variant", choices=TIMING_VARIANTS, default="c",
                        help="; ".join(f"{k}: {v[1]}" for k, v in TIMING_VARIANTS.items()))
    timing.add_argument("--train-seconds", type=float, default=25)
    timing.add_argument("--infer-seconds", type=float, default=10)
    timing.add_argument("--warmup", type=int, default=3)
    timing.add_argument("--warmup-seconds", type=float, default=0.0,
                        help="warm the training step up for at least this long too (bench/run --warmup)")
    timing.add_argument("--min-batches", type=int, default=5)
    timing.add_argument("--max-batches", type=int, default=60)
    timing.add_argument("--skip-mc", action="store_true")
    timing.add_argument("--json", help="append the result as one JSON line to this file")
    protocol = ap.add_argument_group("protocol (--protocol)")
    protocol.add_argument("--scheme", choices=PROTOCOL_SCHEMES, default="variational")
    protocol.add_argument("--epochs", type=int, default=20)
    protocol.add_argument("--corpus", default=MOBY_DICK)
    protocol.add_argument("--seed", type=int, default=1, help="initial weights and training masks (default 1)")
    protocol.add_argument("--mc-seed", type=int, default=1000,
                          help="the MC samples' masks, independent of --seed (default 1000)")
    protocol.add_argument("--mc-samples", type=int, default=50, help="K (default 50)")
    protocol.add_argument("--clip", type=float, default=5.0,
                          help="maximum global gradient norm (default 5, the protocol's; vdrop compare --clip)")
    protocol.add_argument("--out", help="write the result as JSON to this file")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.check:
        sys.exit(0 if check() else 1)
    if args.protocol:
        run_protocol(args)
        return
    result = run_classifier_timing(args) if args.classifier else run_timing(args)
    line = json.dumps(result)
    print(line, flush=True)
    if args.json:
        with open(args.json, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
