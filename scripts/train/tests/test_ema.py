"""The training EMA averages BatchNorm's running statistics along with the weights."""
import copy

import torch
import torch.nn as nn

from scripts.train.train import ema_update


def test_ema_averages_weights_and_batchnorm_statistics():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    ema = copy.deepcopy(model)
    old_w = ema[0].weight.detach().clone()
    old_mean = ema[1].running_mean.clone()
    with torch.no_grad():
        model[0].weight.add_(1.0)
    model.train()
    model(torch.randn(4, 1, 8, 8) * 3 + 5)          # moves the running statistics
    ema_update(ema, model, 0.9)
    torch.testing.assert_close(ema[0].weight, 0.9 * old_w + 0.1 * model[0].weight.detach())
    torch.testing.assert_close(ema[1].running_mean, 0.9 * old_mean + 0.1 * model[1].running_mean)
    assert not torch.equal(ema[1].running_mean, model[1].running_mean)
    assert ema[1].num_batches_tracked.item() == model[1].num_batches_tracked.item() == 1
