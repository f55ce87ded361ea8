"""Volunteering, one room per part of the work, lowest first (each imports only rooms above it in this list):

- ``common``: what the rooms share (availability as text, active placements, look-ups of live records);
- ``checks``: checks and training, and whether they satisfy an opportunity's requirements;
- ``opportunities``: what partners offer;
- ``totals``: the hours that count, and every total of them;
- ``placements``: volunteers on opportunities, and the hours logged on them;
- ``recognition``: thanks, awards, certificates, milestones;
- ``volunteers``: the people, their list and their whole record;
- ``matching``: who fits what;
- ``personal_data`` and ``erasure``: volunteers' rights under UK GDPR (subject access, retention, erasure).
"""
