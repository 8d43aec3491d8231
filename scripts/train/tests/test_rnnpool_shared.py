"""The training RNNPool (each RNN1 segment once) computes what the reference RNNPool does."""
import torch

from scripts.train.model import FastGRNNCell, rnnpool, rnnpool_shared


def test_shared_segments_give_the_reference_outputs_and_gradients():
    torch.manual_seed(3)
    rnn1, rnn2 = FastGRNNCell(4, 16).eval(), FastGRNNCell(16, 16).eval()
    x = torch.randn(2, 4, 48, 40, requires_grad=True)
    ref = rnnpool(x, rnn1, rnn2, 8, 4)
    got = rnnpool_shared(x, rnn1, rnn2, 8, 4)
    assert got.shape == ref.shape == (2, 64, 11 + 1, 9 + 1)
    torch.testing.assert_close(got, ref, atol=1e-6, rtol=1e-5)
    g_ref = torch.autograd.grad(ref.square().sum(), [x, rnn1.W, rnn2.U])
    g_got = torch.autograd.grad(got.square().sum(), [x, rnn1.W, rnn2.U])
    for a, b in zip(g_got, g_ref):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4)


def test_compiled_fastgrnn_gives_the_eager_outputs_and_gradients():
    """train.py runs the FastGRNN loop through torch.compile on the CPU; it must be the
    same function (training mode: fast tanh) with the same gradients."""
    import scripts.train.model as M
    torch.manual_seed(4)
    rnn1, rnn2 = FastGRNNCell(4, 16).train(), FastGRNNCell(16, 16).train()
    x = torch.randn(2, 4, 40, 32, requires_grad=True)
    results = []
    for compiled in (False, True):
        M.use_compiled_fastgrnn(compiled)
        try:
            out = rnnpool_shared(x, rnn1, rnn2, 8, 4)
            grads = torch.autograd.grad(out.square().sum(), [x, rnn1.W, rnn1.bias_z, rnn2.U, rnn2.nu])
        finally:
            M.use_compiled_fastgrnn(False)
        results.append((out.detach(), grads))
    assert M._compiled["failed"] is None, M._compiled["failed"]
    (ref, g_ref), (got, g_got) = results
    torch.testing.assert_close(got, ref, atol=1e-5, rtol=1e-5)
    for a, b in zip(g_got, g_ref):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4)
