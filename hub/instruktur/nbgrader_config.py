# nbgrader for an instructor's server on the hub: the course folder prepared
# by `make hub` (hub/siapkan.py), the shared exchange and gradebook.
import os

from netralitas.grading.config import configure

c = get_config()  # noqa: F821
configure(c, root=os.environ["NETRALITAS_HUB_COURSE"], exchange=os.environ["NETRALITAS_EXCHANGE"])
