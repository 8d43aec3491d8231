import numpy as np

from scripts.train.evaluate import evaluate, voc_ap


def entry(faces, set_name="cwf"):
    return {"set": set_name, "faces": [{"box": b, "ignore": ig} for b, ig in faces]}


def test_perfect_detections_give_ap_one():
    es = [entry([([10, 10, 20, 20], False)]), entry([([50, 50, 100, 100], False)], "ilc")]
    dets = [np.array([[10, 10, 20, 20, 0.9]]), np.array([[50, 50, 100, 100, 0.8]])]
    r = evaluate(es, dets)
    assert r["AP50"] == 1.0 and r["sets"]["ilc"]["AP50"] == 1.0
    assert r["buckets"]["16-32"]["AP50"] == 1.0 and r["buckets"][">=128"]["positives"] == 0


def test_ignore_match_is_neither_and_fp_lowers_ap():
    es = [entry([([10, 10, 20, 20], False), ([100, 100, 20, 20], True)])]
    # highest-scoring detection hits the ignore region: must not count as FP
    dets = [np.array([[100, 100, 20, 20, 0.95], [10, 10, 20, 20, 0.9]])]
    assert evaluate(es, dets)["AP50"] == 1.0
    dets = [np.array([[200, 200, 20, 20, 0.95], [10, 10, 20, 20, 0.9]])]
    assert abs(evaluate(es, dets)["AP50"] - 0.5) < 1e-9


def test_bucket_ap_ignores_other_bucket_matches():
    es = [entry([([10, 10, 10, 12], False), ([50, 50, 100, 100], False)])]
    dets = [np.array([[50, 50, 100, 100, 0.9], [10, 10, 10, 12, 0.5]])]
    r = evaluate(es, dets)
    assert r["buckets"]["<16"]["AP50"] == 1.0      # the big-face TP is not an FP here
    assert r["buckets"]["64-128"]["AP50"] == 1.0


def test_duplicates_are_false_positives():
    es = [entry([([10, 10, 20, 20], False)])]
    dets = [np.array([[10, 10, 20, 20, 0.9], [11, 10, 20, 20, 0.8]])]
    r = evaluate(es, dets)
    assert r["AP50"] == 1.0                        # recall 1 reached before the duplicate
    assert voc_ap([0.9, 0.8], [False, True], [True, False], 1) == 0.5
