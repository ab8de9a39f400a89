"""Ready-made models for the command line and the examples: an MLP, a small CNN and a small
Transformer that reads an image row by row."""
from . import nn


def mlp(in_features, num_outputs, hidden=(128, 64), dropout=0.0):
    """Linear -> ReLU (-> Dropout) blocks, then a linear output layer. Input (N, in_features)
    or (N, C, H, W) (flattened first)."""
    layers, width = [nn.Flatten()], in_features
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        if dropout:
            layers.append(nn.Dropout(dropout))
        width = h
    layers.append(nn.Linear(width, num_outputs))
    return nn.Sequential(*layers)


def cnn(in_shape, num_outputs, channels=(32, 64), hidden=128, dropout=0.25):
    """Two 3x3 conv blocks (conv, batch norm, ReLU) with a 2x2 max pool after the second,
    then dropout, a hidden linear layer and the output layer. Input (N, C, H, W)."""
    c, h, w = in_shape
    c1, c2 = channels
    return nn.Sequential(
        nn.Conv2d(c, c1, 3, padding=1), nn.BatchNorm2d(c1), nn.ReLU(),
        nn.Conv2d(c1, c2, 3, padding=1), nn.BatchNorm2d(c2), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(dropout),
        nn.Linear(c2 * (h // 2) * (w // 2), hidden), nn.ReLU(), nn.Dropout(dropout),
        nn.Linear(hidden, num_outputs))


class RowTransformer(nn.Module):
    """An image (C, H, W) read as a sequence of H tokens of C*W features: a linear embedding,
    sinusoidal positions, a pre-LN Transformer encoder with a final LayerNorm, the mean over
    tokens, and a linear output layer. Input (N, C, H, W)."""

    def __init__(self, in_shape, num_outputs, d_model=64, nhead=4, num_layers=2,
                 dim_feedforward=128, dropout=0.1):
        super().__init__()
        c, h, w = in_shape
        self.embed = nn.Linear(c * w, d_model)
        self.position = nn.PositionalEncoding(d_model, max_len=h, batch_first=True)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model))
        self.head = nn.Linear(d_model, num_outputs)

    def forward(self, x):
        n, c, h, w = x.shape
        tokens = x.permute(0, 2, 1, 3).reshape(n, h, c * w)
        return self.head(self.encoder(self.position(self.embed(tokens))).mean(1))


MODELS = ("mlp", "cnn", "transformer")


def build_model(name, in_shape, num_outputs, dropout=0.0):
    """One of MODELS for inputs of shape ``in_shape`` (without the batch dimension)."""
    if name == "mlp":
        n = 1
        for s in in_shape:
            n *= s
        return mlp(n, num_outputs, dropout=dropout)
    if name == "cnn":
        if len(in_shape) != 3:
            raise ValueError(f"model 'cnn' needs image inputs (C, H, W), but the data has "
                             f"shape {tuple(in_shape)}; use --model mlp for tabular data")
        return cnn(in_shape, num_outputs, dropout=dropout)
    if name == "transformer":
        if len(in_shape) != 3:
            raise ValueError(f"model 'transformer' needs image inputs (C, H, W), read as H "
                             f"tokens, but the data has shape {tuple(in_shape)}; use --model "
                             f"mlp for tabular data")
        return RowTransformer(in_shape, num_outputs, dropout=dropout)
    raise ValueError(f"unknown model {name!r}; valid models: {', '.join(MODELS)}")
