"""Test and demo harness, kept out of the course's runtime (the learner runtime and the
instructor side never import it): learners driven in real kernels (learner.py), synthetic people
and cohorts (people.py, demo.py, synthetic.py), the `make demo` story (demo_story.py), the HR
example (contoh.py), a throwaway PostgreSQL server (pgserver.py) and a throwaway JupyterHub with a
client that does what a learner's browser does (hub.py)."""
