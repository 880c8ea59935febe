"""Outcome-measure scoring: pure maths with no database, used by plans, progress, measures, insights and the demo.

- ``gas``: Goal Attainment Scaling, the corrected T-score of a plan's goals.
- ``questionnaires``: the validated questionnaires' totals and bands, and when PHQ-9 starts the safety net.

It sits at the bottom of the layers (docs/adr/0004-layers.md), beside ``notifications`` and ``guide``, so any
app may score without importing the app that asks the questions."""
