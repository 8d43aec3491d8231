/// What the detector's line buffers hold (NETWORK.md §7). Float is the exact
/// reference path; int8 stores every activation on a calibrated per-tensor grid and
/// needs a model file that carries the scales (version 2).
public enum Precision: String, Sendable, CaseIterable {
    case float
    case int8
}
