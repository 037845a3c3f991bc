"""One forward and backward pass of vdrop's awd model, recomputed by the PyTorch reference.

    python3 cross.py DIR CELL      # DIR written by `Dump CELL DIR` (see run.sh); CELL lstm or gru

Loads the parameters, the training masks, the batch, vdrop's loss and gradients that Dump wrote
(float64 files, row-major), puts the same weights and masks into vdrop_reference.py's
LanguageModel (awd scheme) in float64, and prints the loss of both and, per parameter, the norm of
both gradients and the largest difference relative to the largest gradient entry, for the fused
(torch.gru / torch.lstm) and the hand-written engine. vdrop computes in float32, so agreement is
to about 1e-6.
"""
import os, sys, types
import numpy as np
import torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'reference'))
import vdrop_reference as R
d = sys.argv[1]; cell = sys.argv[2]
shapes = {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(d + '/shapes.txt')}
def load(n): return torch.tensor(np.fromfile(f'{d}/{n}.bin', dtype='<f8').reshape(shapes[n]), dtype=torch.float64)
tok = [list(map(int, l.split())) for l in open(d + '/tokens.txt') if l.strip()]
B = len(tok); T = len(tok[0]) // 2
inp = torch.tensor([[row[2 * t] for row in tok] for t in range(T)])   # (T, B)
tgt = torch.tensor([[row[2 * t + 1] for row in tok] for t in range(T)])
V = shapes['p.decoder.d'][0]; E = shapes['p.embedding.E'][0]; H = E
L = 'gru' if cell == 'gru' else 'lstm'
m = R.LanguageModel(R.PROTOCOL_SCHEMES['awd'], V, E, H, cell=cell).double()
with torch.no_grad():
    m.embedding.weight.copy_(load('p.embedding.E').T)
    m.decoder.weight.copy_(load('p.decoder.D').T); m.decoder.bias.copy_(load('p.decoder.d')[:, 0])
    for l in range(2):
        lay = m.layers[l]; n = f'{L}{l+1}'
        lay.w.copy_(load(f'p.{n}.W')); lay.u.copy_(load(f'p.{n}.U'))
        if cell == 'gru':
            lay.b_x.copy_(load(f'p.{n}.b')[:, 0]); lay.b_h.copy_(load(f'p.{n}.bh')[:, 0])
        else:
            lay.b.copy_(load(f'p.{n}.b')[:, 0])
masks = types.SimpleNamespace(scheme=m.scheme, embedding=load('m.embedding.E'),
    inputs=[load(f'm.{L}1.x').T[None], load(f'm.{L}2.x').T[None]], recurrent=[None, None],
    weights=[load(f'm.{L}1.U'), load(f'm.{L}2.U')], output=load(f'm.{L}2.y').T[None],
    step_mask=lambda x, p: None)
for engine in ['auto', 'loop']:
    m.engine = engine
    m.zero_grad()
    logits, _ = m(inp, m.zero_state(B), masks)
    loss = R.segment_loss(logits, tgt); loss.backward()
    print(engine, 'loss torch %.8f vdrop %s' % (loss.item(), open(d + '/loss.txt').read()))
    pairs = [('embedding.E', m.embedding.weight.grad.T), ('decoder.D', m.decoder.weight.grad.T), ('decoder.d', m.decoder.bias.grad[:, None])]
    for l in range(2):
        lay = m.layers[l]; n = f'{L}{l+1}'
        pairs += [(f'{n}.W', lay.w.grad), (f'{n}.U', lay.u.grad)]
        pairs += [(f'{n}.b', lay.b_x.grad[:, None]), (f'{n}.bh', lay.b_h.grad[:, None])] if cell == 'gru' else [(f'{n}.b', lay.b.grad[:, None])]
    for name, g in pairs:
        v = load('g.' + name)
        print('  %-12s |g| torch %.6e vdrop %.6e  max rel diff %.2e' % (name, g.norm(), v.norm(), ((g - v).abs().max() / g.abs().max()).item()))
