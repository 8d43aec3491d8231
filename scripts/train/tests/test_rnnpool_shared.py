"""The training RNNPool (each RNN1 segment once) computes what the reference RNNPool does."""
import torch

from model import FastGRNNCell, rnnpool, rnnpool_shared


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
