"""The language centroids are read once per process and shared by its threads: no caller can
change them under another (issue 16, "correct under threads")."""

import numpy as np
import pytest

from partnernet.matchmaking import meaning


def test_the_language_centroids_cannot_be_changed_by_a_caller():
    centres = meaning.centroids()
    with pytest.raises(TypeError):
        centres["sv"] = np.zeros(3, dtype=np.float32)  # type: ignore[index]
    with pytest.raises(ValueError):
        centres["sv"][0] = 1.0
    assert meaning.centroids() is centres
