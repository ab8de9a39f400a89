"""Fits a line with gradix: tensors, autodiff and gradient descent in a dozen lines."""
import gradix

gradix.manual_seed(0)
x = gradix.linspace(-1, 1, 64).reshape(-1, 1)
y = 3 * x - 0.5 + 0.05 * gradix.randn(64, 1)

w = gradix.zeros(1, 1, requires_grad=True)
b = gradix.zeros(1, requires_grad=True)
for step in range(200):
    loss = ((x @ w + b - y) ** 2).mean()
    loss.backward()
    with gradix.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
    w.grad = b.grad = None
print(f"w = {w.item():.3f}, b = {b.item():.3f}, loss = {loss.item():.5f}")
