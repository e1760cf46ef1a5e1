# nbgrader for a learner's server on the hub: which course, which exchange, who am I.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "netralitas-asn"
c.Exchange.root = os.environ["NETRALITAS_EXCHANGE"]
c.Exchange.path_includes_course = False
# The learner's id is the NIP (the hub account minus its prefix), never the Linux user.
c.CourseDirectory.student_id = os.environ["NETRALITAS_NIP"]
# Submission copies stay in the learner's private home.
c.Exchange.cache = os.path.expanduser("~/.nbgrader_cache")
# nbgrader's submit leaves the submission folder 0777; this one closes it (learner/submit.py).
c.ExchangeFactory.submit = "netralitas.learner.submit.PrivateSubmit"
