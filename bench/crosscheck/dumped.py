"""What Dump.java and Steps.java wrote, read back for cross.py and replay.py."""
import os
import sys
import types

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'reference'))
import vdrop_reference as R  # noqa: E402


class Dumped:
    """The matrices of a dump directory (float64 little-endian row-major NAME.bin, shapes.txt)."""

    def __init__(self, directory, dtype):
        self.directory, self.dtype = directory, dtype
        with open(os.path.join(directory, 'shapes.txt')) as f:
            self.shapes = {name: (int(rows), int(cols)) for name, rows, cols in (line.split() for line in f)}

    def load(self, name):
        values = np.fromfile(os.path.join(self.directory, name + '.bin'), dtype='<f8')
        return torch.tensor(values.reshape(self.shapes[name]), dtype=self.dtype)

    def model(self, cell):
        """The reference's awd LanguageModel holding the dumped initial parameters (p.NAME)."""
        V, E = self.shapes['p.decoder.d'][0], self.shapes['p.embedding.E'][0]
        m = R.LanguageModel(R.PROTOCOL_SCHEMES['awd'], V, E, E, cell=cell).to(self.dtype)
        with torch.no_grad():
            m.embedding.weight.copy_(self.load('p.embedding.E').T)
            m.decoder.weight.copy_(self.load('p.decoder.D').T)
            m.decoder.bias.copy_(self.load('p.decoder.d')[:, 0])
            for l, layer in enumerate(m.layers):
                name = f'{cell}{l + 1}'
                layer.w.copy_(self.load(f'p.{name}.W'))
                layer.u.copy_(self.load(f'p.{name}.U'))
                if cell == 'gru':
                    layer.b_x.copy_(self.load(f'p.{name}.b')[:, 0])
                    layer.b_h.copy_(self.load(f'p.{name}.bh')[:, 0])
                else:
                    layer.b.copy_(self.load(f'p.{name}.b')[:, 0])
        return m

    def masks(self, m, cell, prefix='m.'):
        """vdrop's training masks (PREFIX + embedding.E, CELL1.x, …) in the shapes the reference's Masks has."""
        return types.SimpleNamespace(
            scheme=m.scheme, embedding=self.load(prefix + 'embedding.E'),
            inputs=[self.load(f'{prefix}{cell}1.x').T[None], self.load(f'{prefix}{cell}2.x').T[None]],
            recurrent=[None, None],
            weights=[self.load(f'{prefix}{cell}1.U'), self.load(f'{prefix}{cell}2.U')],
            output=self.load(f'{prefix}{cell}2.y').T[None], step_mask=lambda x, p: None)


def batch(lines):
    """Token lines 'x y x y …' (one per sequence) -> inputs and targets, each (T, B)."""
    rows = [list(map(int, line.split())) for line in lines if line.strip()]
    steps = len(rows[0]) // 2
    inputs = torch.tensor([[row[2 * t] for row in rows] for t in range(steps)])
    targets = torch.tensor([[row[2 * t + 1] for row in rows] for t in range(steps)])
    return inputs, targets
