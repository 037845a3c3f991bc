"""vdrop's training steps, replayed by the PyTorch reference with the same masks.

    python3 replay.py DIR CELL 64|32    # DIR written by `Steps CELL DIR N` (see run.sh)

Steps ran N training steps of the awd model in vdrop (new masks every step, the state carried and
detached, the global gradient norm clipped to 5, SGD with learning rate 1) and wrote the initial
parameters, every step's masks and tokens, and its loss and gradient norm before clipping. This
script takes the same steps in vdrop_reference.py's code (its segment_loss, sgd_step and detach)
from the same parameters with the same masks, in float64 or float32, and prints both losses and
norms per step: the training computations agree when they match to rounding, which an unstable
run amplifies from step to step.
"""
import os, sys, types
import numpy as np
import torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'reference'))
import vdrop_reference as R
d = sys.argv[1]; cell = sys.argv[2]; dtype = torch.float64 if sys.argv[3] == '64' else torch.float32
shapes = {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(d + '/shapes.txt')}
def load(n): return torch.tensor(np.fromfile(f'{d}/{n}.bin', dtype='<f8').reshape(shapes[n]), dtype=dtype)
blocks = open(d + '/tokens.txt').read().split('--\n')[:-1]
V = shapes['p.decoder.d'][0]; E = shapes['p.embedding.E'][0]; H = E
L = cell
m = R.LanguageModel(R.PROTOCOL_SCHEMES['awd'], V, E, H, cell=cell).to(dtype)
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
vd = [tuple(map(float, l.split())) for l in open(d + '/losses.txt')]
state = None
for s, blk in enumerate(blocks):
    tok = [list(map(int, l.split())) for l in blk.strip().split('\n')]
    B = len(tok); T = len(tok[0]) // 2
    inp = torch.tensor([[row[2 * t] for row in tok] for t in range(T)]); tgt = torch.tensor([[row[2 * t + 1] for row in tok] for t in range(T)])
    if state is None: state = m.zero_state(B)
    p = f's{s}.m.'
    masks = types.SimpleNamespace(scheme=m.scheme, embedding=load(p + 'embedding.E'),
        inputs=[load(f'{p}{L}1.x').T[None], load(f'{p}{L}2.x').T[None]], recurrent=[None, None],
        weights=[load(f'{p}{L}1.U'), load(f'{p}{L}2.U')], output=load(f'{p}{L}2.y').T[None], step_mask=lambda x, q: None)
    m.zero_grad()
    logits, state = m(inp, state, masks)
    state = R.detach(state)
    loss = R.segment_loss(logits, tgt); loss.backward()
    norm = R.sgd_step(m, 1.0, 5.0)
    print('%2d loss torch %.6f vdrop %.6f  norm torch %.4f vdrop %.4f' % (s, loss.item(), vd[s][0], norm, vd[s][1]))
