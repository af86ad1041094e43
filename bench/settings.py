"""Production settings for the load benchmark, plus one bare view (``bench.urls``).

Only ``bench/run.py --load`` uses this module; the production URL map never has the bare view.
"""

from mintkit.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
