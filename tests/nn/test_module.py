"""Module, Parameter and the containers: registration, traversal, modes, state_dict, repr."""
from collections import OrderedDict

import numpy as np
import pytest

import gradix
from gradix import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(gradix.ones(1))
        self.body = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
        self.register_buffer("steps", gradix.zeros(1))
        self.register_buffer("cache", gradix.zeros(2), persistent=False)
        self.head = nn.Linear(4, 2)
        self.shared = self.head
        self.note = "plain attribute"

    def forward(self, x):
        return self.head(self.body(x)) * self.scale


def test_registration_order_and_traversal():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "scale", "body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias",
        "head.weight", "head.bias"]  # the shared head is listed once
    assert [n for n, _ in net.named_buffers()] == [
        "steps", "cache", "body.1.running_mean", "body.1.running_var",
        "body.1.num_batches_tracked"]
    assert [n for n, _ in net.named_children()] == ["body", "head"]
    assert [n for n, _ in net.named_modules()] == ["", "body", "body.0", "body.1", "head"]
    assert list(net.children()) == [net.body, net.head]
    assert len(list(net.modules())) == 5
    assert [n for n, _ in net.named_parameters(recurse=False)] == ["scale"]
    assert net.note == "plain attribute" and "note" in net.__dict__


def test_state_dict_keys_match_torch():
    torch = pytest.importorskip("torch")

    def make(m):
        return m.Sequential(OrderedDict(
            conv=m.Conv2d(1, 2, 3), bn=m.BatchNorm2d(2),
            blocks=m.ModuleList([m.Linear(2, 2), m.LayerNorm(2)]),
            heads=m.ModuleDict({"a": m.Linear(2, 1, bias=False), "b": m.Embedding(3, 2)})))
    ours, theirs = make(nn).state_dict(), make(torch.nn).state_dict()
    assert list(ours) == list(theirs)
    assert [tuple(v.shape) for v in ours.values()] == [tuple(v.shape) for v in theirs.values()]
    assert isinstance(ours, OrderedDict) and not any(v.requires_grad for v in ours.values())


def test_state_dict_round_trip_and_persistence():
    src, dst = Net(), Net()
    with gradix.no_grad():
        src.head.weight.fill_(3.0)
    assert "cache" not in src.state_dict() and "shared.weight" in src.state_dict()  # as torch
    result = dst.load_state_dict({k: v.numpy() for k, v in src.state_dict().items()})
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_array_equal(dst.head.weight.detach().numpy(), 3.0)
    assert dst.head.weight.dtype == gradix.float32 and dst.head.weight.requires_grad


def test_load_state_dict_errors_name_keys_and_shapes_and_change_nothing():
    net = Net()
    before = {k: v.numpy().copy() for k, v in net.state_dict().items()}
    sd = {k: v.numpy() + 1 for k, v in net.state_dict().items()}
    sd["head.weight"] = np.zeros((3, 4))
    del sd["scale"]
    sd["extra"] = np.zeros(1)
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd)
    msg = str(info.value)
    assert 'Missing key(s) in state_dict: "scale"' in msg
    assert 'Unexpected key(s) in state_dict: "extra"' in msg
    assert "size mismatch for head.weight: copying a param with shape (3, 4) from checkpoint, " \
           "the shape in current model is (2, 4)" in msg
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k])
    with pytest.raises(RuntimeError, match="size mismatch for head.weight"):
        net.load_state_dict(sd, strict=False)
    sd["head.weight"] = sd["shared.weight"] = np.zeros((2, 4))  # one module, two names
    result = net.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["scale"] and result.unexpected_keys == ["extra"]
    assert not net.head.weight.detach().numpy().any()


def test_repr_equals_torch():
    torch = pytest.importorskip("torch")

    def make(m):
        return m.Sequential(
            m.Conv2d(1, 16, 3, padding=1), m.BatchNorm2d(16), m.MaxPool2d(2),
            m.Conv2d(16, 8, (3, 2), stride=2, padding="valid", groups=2, bias=False),
            m.AdaptiveAvgPool2d((2, 2)), m.AvgPool2d(3, 1, 1), m.Flatten(), m.Dropout(0.2),
            m.Sequential(m.Linear(32, 10), m.LayerNorm(10)), m.Unflatten(1, (2, 5)),
            m.Embedding(5, 3, padding_idx=1), m.Conv1d(3, 6, 3, dilation=2, padding="same"),
            m.Identity(), m.ModuleList([m.Linear(2, 2), m.Linear(2, 2), m.Linear(2, 3)]),
            m.ModuleDict({"a": m.BatchNorm1d(4, affine=False, momentum=None)}))
    assert repr(make(nn)) == repr(make(torch.nn))
    assert repr(nn.Parameter(gradix.zeros(2))) == \
        "Parameter containing:\ntensor([0., 0.], requires_grad=True)"


def test_train_eval_zero_grad_requires_grad_apply_to():
    net = Net()
    assert net.eval() is net and not any(m.training for m in net.modules())
    assert all(m.training for m in net.train().modules())
    with pytest.raises(ValueError, match="mode must be a bool"):
        net.train("no")
    net(gradix.randn(5, 3)).sum().backward()
    grad = net.head.weight.grad
    net.zero_grad(set_to_none=False)
    assert net.head.weight.grad is grad and not grad.numpy().any()
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    assert not any(p.requires_grad for p in net.requires_grad_(False).parameters())
    seen = []
    net.apply(lambda m: seen.append(type(m).__name__))
    assert seen == ["Linear", "BatchNorm1d", "Sequential", "Linear", "Net"]
    weight = net.head.weight
    net.to(gradix.float64)
    assert net.head.weight is weight and weight.dtype == gradix.float64
    assert net.body[1].num_batches_tracked.dtype == gradix.int64
    with pytest.raises(TypeError, match="only floating dtypes"):
        net.to(gradix.int32)


def test_assignment_rules():
    net = Net()
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'scale'"):
        net.scale = gradix.ones(1)
    with pytest.raises(TypeError, match="as child module 'head'"):
        net.head = 3
    net.scale = None
    assert "scale" not in dict(net.named_parameters())
    net.note = nn.Linear(1, 1)  # a plain attribute gives way to a sub-module
    assert "note" in dict(net.named_children()) and "note" not in net.__dict__
    del net.note
    assert "note" not in dict(net.named_children())

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(gradix.ones(1))
    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()
    with pytest.raises(KeyError, match="must be non-empty and without a dot"):
        net.register_buffer("a.b", gradix.ones(1))
    with pytest.raises(TypeError, match="gradix.Tensor or None required"):
        net.register_buffer("b", np.ones(1))
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'missing'"):
        net.missing
    with pytest.raises(NotImplementedError, match="Module has no forward"):
        nn.Module()(1)


def test_parameter():
    data = gradix.zeros(2, 3)
    p = nn.Parameter(data)
    assert isinstance(p, gradix.Tensor) and p.requires_grad and p.is_leaf
    assert p.data is data.data  # shares the array
    assert not nn.Parameter(gradix.zeros(1), requires_grad=False).requires_grad
    (p * 2).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), 2)


def test_containers():
    a, b, c = nn.Linear(1, 2), nn.Linear(2, 3), nn.Linear(3, 1)
    seq = nn.Sequential(a, b)
    assert seq.append(c) is seq and len(seq) == 3 and list(seq) == [a, b, c]
    assert seq[-1] is c and isinstance(seq[1:], nn.Sequential) and list(seq[1:]) == [b, c]
    with pytest.raises(IndexError, match="index 3 is out of range for 3 modules"):
        seq[3]
    assert seq(gradix.ones(4, 1)).shape == (4, 1)
    named = nn.Sequential(OrderedDict(first=a, second=b))
    assert [n for n, _ in named.named_children()] == ["first", "second"]

    layers = nn.ModuleList([a, b])
    layers.insert(1, c)
    layers[0] = b
    assert list(layers) == [b, c, b] and layers[-2] is c and len(layers[:2]) == 2
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "1.weight",
                                                         "1.bias"]
    heads = nn.ModuleDict({"x": a})
    heads["y"] = b
    heads.update([("z", c)])
    assert list(heads) == ["x", "y", "z"] and "y" in heads and heads.pop("x") is a
    del heads["z"]
    assert list(heads.keys()) == ["y"] and list(heads.values()) == [b]
