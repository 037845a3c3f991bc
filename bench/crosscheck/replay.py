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
import sys

import torch

from dumped import Dumped, R, batch

d, cell = sys.argv[1], sys.argv[2]
dump = Dumped(d, torch.float64 if sys.argv[3] == '64' else torch.float32)
blocks = open(d + '/tokens.txt').read().split('--\n')[:-1]
m = dump.model(cell)
vd = [tuple(map(float, l.split())) for l in open(d + '/losses.txt')]
state = None
for s, blk in enumerate(blocks):
    inp, tgt = batch(blk.split('\n'))
    if state is None:
        state = m.zero_state(inp.shape[1])
    masks = dump.masks(m, cell, prefix=f's{s}.m.')
    m.zero_grad()
    logits, state = m(inp, state, masks)
    state = R.detach(state)
    loss = R.segment_loss(logits, tgt); loss.backward()
    norm = R.sgd_step(m, 1.0, 5.0)
    print('%2d loss torch %.6f vdrop %.6f  norm torch %.4f vdrop %.4f' % (s, loss.item(), vd[s][0], norm, vd[s][1]))
