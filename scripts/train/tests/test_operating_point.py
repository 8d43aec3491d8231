import numpy as np

from scripts.train.operating_point import threshold_for_face_free


def dets(*scores):
    return np.asarray([[0, 0, 10, 10, s] for s in scores], np.float64).reshape(-1, 5)


def count_at(neg, t):
    return sum(int((d[:, 4] >= t).sum()) for d in neg)


def test_face_free_threshold_keeps_at_most_the_allowed_boxes():
    # 100 photos at 1 in 50: 2 boxes may stay. The tie at 0.7 cannot be split, so only 0.9 stays.
    neg = [dets(0.9, 0.7), dets(0.7), dets(0.5)] + [dets() for _ in range(97)]
    t = threshold_for_face_free(neg, 0.02)
    assert abs(t - 0.7001) < 1e-9
    assert count_at(neg, t) == 1


def test_face_free_threshold_is_the_lowest_four_decimal_score_that_works():
    neg = [dets(0.81234, 0.6, 0.3)] + [dets() for _ in range(99)]
    t = threshold_for_face_free(neg, 0.01)     # 1 box may stay
    assert abs(t - 0.6001) < 1e-9 and count_at(neg, t) == 1 and count_at(neg, t - 1e-4) == 2


def test_face_free_threshold_is_zero_when_few_enough_boxes():
    assert threshold_for_face_free([dets(0.99)] + [dets() for _ in range(99)], 0.02) == 0.0
    assert threshold_for_face_free([dets() for _ in range(10)], 0.0) == 0.0
