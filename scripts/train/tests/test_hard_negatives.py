import json

import numpy as np

from scripts.train.mine_negatives import hard_negatives
from scripts.train.train import hard_negative_factors


def test_hard_negatives_lists_photos_reaching_the_score_best_first():
    entries = [{"image": "a.jpg"}, {"image": "b.jpg"}, {"image": "c.jpg"}, {"image": "d.jpg"}]
    dets = [np.asarray([[0, 0, 5, 5, 0.35]]), np.zeros((0, 5)),
            np.asarray([[0, 0, 5, 5, 0.2], [1, 1, 5, 5, 0.8]]), np.asarray([[0, 0, 5, 5, 0.29]])]
    assert hard_negatives(entries, dets, 0.3) == [("c.jpg", 0.8), ("a.jpg", 0.35)]


def test_hard_negative_factors_weight_only_the_listed_photos(tmp_path):
    path = tmp_path / "hard.json"
    path.write_text(json.dumps({"hard": [{"image": "b.jpg", "score": 0.6}, {"image": "c.jpg", "score": 0.35}]}))
    entries = [{"image": "a.jpg"}, {"image": "b.jpg"}, {"image": "c.jpg"}]
    assert list(hard_negative_factors(entries, str(path), 3.0)) == [1.0, 3.0, 3.0]
    assert list(hard_negative_factors(entries, str(path), 3.0, min_score=0.45)) == [1.0, 3.0, 1.0]
