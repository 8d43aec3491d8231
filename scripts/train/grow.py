"""Start a wider variant of the detector from a narrower checkpoint (capacity study).

Every tensor whose shape matches is copied. A tensor that grew keeps the old values in
its leading slice; what is new is chosen so that the wider network starts close to the
narrow one's function and can still learn:
- new *output* channels (dim 0 of a conv weight) keep their fresh random initialisation,
  so they carry signal and receive gradients;
- new *input* channels (any further dim) start at zero, so the consumers ignore the new
  channels until training gives them weight;
- new BatchNorm scales start at 0.1 (the new channels enter small, e.g. into an L2Norm
  head that normalises over all channels), shifts and running means at 0, variances 1.
"""
import torch


def _grow(new, old, key):
    if new.shape == old.shape:
        return old.clone()
    if new.ndim != old.ndim or any(n < o for n, o in zip(new.shape, old.shape)):
        raise ValueError(f"{key}: cannot grow {tuple(old.shape)} into {tuple(new.shape)}")
    out = new.clone()
    if key.endswith(("running_mean", "bias")) and out.ndim == 1:
        out.zero_()
    elif key.endswith("running_var"):
        out.fill_(1.0)
    elif key.endswith(".1.weight") and out.ndim == 1:     # BatchNorm scale in conv_bn
        out.fill_(0.1)
    if out.ndim > 1:
        # zero every new input slice; dim 0 keeps its fresh values beyond the old rows
        for d in range(1, out.ndim):
            if out.shape[d] > old.shape[d]:
                idx = [slice(None)] * out.ndim
                idx[d] = slice(old.shape[d], None)
                out[tuple(idx)] = 0
    out[tuple(slice(0, s) for s in old.shape)] = old
    return out


def transplanted_state_dict(model, old_state):
    """The model's state dict with every tensor of old_state that has the same name and
    shape copied in; the rest (a front end that replaces RNNPool, say) keeps its fresh
    initialisation. For the strided-convolution twin: same stem, blocks and heads."""
    new_state = model.state_dict()
    return {k: old_state[k].clone() if k in old_state and old_state[k].shape == v.shape else v.clone()
            for k, v in new_state.items()}


def grown_state_dict(model, old_state):
    """The model's state dict with old_state grown into it (see module docstring)."""
    new_state = model.state_dict()
    missing = [k for k in new_state if k not in old_state]
    if missing:
        raise ValueError(f"checkpoint lacks {missing[:4]}: only widths may differ")
    grown = {k: _grow(v, old_state[k], k) if v.dtype.is_floating_point else old_state[k].clone()
             for k, v in new_state.items()}
    _regroup_rnnpool_output(grown, old_state)
    return grown


def _regroup_rnnpool_output(grown, old_state):
    """RNNPool's output is four summaries of h2 channels side by side (rows forwards,
    rows backwards, columns forwards, columns backwards): with a wider h2 each old
    channel moves to its summary's new place, not to the leading slice. The first
    block's expand reads them, so its input columns are moved alike (new ones zero)."""
    h2_old, h2_new = old_state["rnnpool.rnn2.U"].shape[0], grown["rnnpool.rnn2.U"].shape[0]
    if h2_old == h2_new:
        return
    key = "blocks.0.expand.0.weight"
    if key not in grown:
        raise ValueError("growing RNNPool's h2 needs block 0 to have an expand layer")
    w = grown[key]
    regrouped = torch.zeros_like(w)
    for k in range(4):
        regrouped[:, k * h2_new:k * h2_new + h2_old] = w[:, k * h2_old:(k + 1) * h2_old]
    grown[key] = regrouped


def inserted_state_dict(model, old_state, at):
    """The model's state dict for an architecture with one more block at index `at`
    (stride 1, as many channels in as out, so it has a residual): blocks at and after
    `at` take the old blocks one index down, the new block starts as an identity (its
    projection's BatchNorm scale and shift zero, so it adds nothing to its input until
    training gives it weight; its other weights keep their fresh values so that
    gradients reach them). Heads keep their weights (their `block` indices in the
    architecture are the caller's to renumber)."""
    new_state = model.state_dict()
    prefix = f"blocks.{at}."
    out = {}
    for k, v in new_state.items():
        if k.startswith("blocks."):
            i = int(k.split(".")[1])
            if i == at:
                out[k] = v.clone()
                if k in (prefix + "project.1.weight", prefix + "project.1.bias"):
                    out[k].zero_()
                continue
            if i > at:
                k_old = f"blocks.{i - 1}." + k.split(".", 2)[2]
                out[k] = old_state[k_old].clone()
                continue
        if k not in old_state or old_state[k].shape != v.shape:
            raise ValueError(f"{k}: not in the checkpoint with this shape; only a block may be inserted")
        out[k] = old_state[k].clone()
    return out
