# nbgrader configuration of the course in this folder. All settings live in
# netralitas/grading/config.py; see there for the environment variables that
# move the gradebook (PostgreSQL) or the exchange (JupyterHub) elsewhere.
import os

from netralitas.grading.config import configure

configure(get_config(), root=os.path.dirname(os.path.abspath(__file__)))
