"""One forward and backward pass of vdrop's awd model, recomputed by the PyTorch reference.

    python3 cross.py DIR CELL      # DIR written by `Dump CELL DIR` (see run.sh); CELL lstm or gru

Loads the parameters, the training masks, the batch, vdrop's loss and gradients that Dump wrote
(float64 files, row-major), puts the same weights and masks into vdrop_reference.py's
LanguageModel (awd scheme) in float64, and prints the loss of both and, per parameter, the norm of
both gradients and the largest difference relative to the largest gradient entry, for the fused
(torch.gru / torch.lstm) and the hand-written engine. vdrop computes in float32, so agreement is
to about 1e-6.
"""
import sys

import torch

from dumped import Dumped, R, batch

d, cell = sys.argv[1], sys.argv[2]
dump = Dumped(d, torch.float64)
inp, tgt = batch(open(d + '/tokens.txt'))
B = inp.shape[1]

m = dump.model(cell)
masks = dump.masks(m, cell)
load = dump.load
for engine in ['auto', 'loop']:
    m.engine = engine
    m.zero_grad()
    logits, _ = m(inp, m.zero_state(B), masks)
    loss = R.segment_loss(logits, tgt); loss.backward()
    print(engine, 'loss torch %.8f vdrop %s' % (loss.item(), open(d + '/loss.txt').read()))
    pairs = [('embedding.E', m.embedding.weight.grad.T), ('decoder.D', m.decoder.weight.grad.T), ('decoder.d', m.decoder.bias.grad[:, None])]
    for l in range(2):
        lay = m.layers[l]; n = f'{cell}{l + 1}'
        pairs += [(f'{n}.W', lay.w.grad), (f'{n}.U', lay.u.grad)]
        pairs += [(f'{n}.b', lay.b_x.grad[:, None]), (f'{n}.bh', lay.b_h.grad[:, None])] if cell == 'gru' else [(f'{n}.b', lay.b.grad[:, None])]
    for name, g in pairs:
        v = load('g.' + name)
        print('  %-12s |g| torch %.6e vdrop %.6e  max rel diff %.2e' % (name, g.norm(), v.norm(), ((g - v).abs().max() / g.abs().max()).item()))
