"""The secretariat's path after the nominee list: eligibility, achievement reports, the
Council's secret ballot, the decision and the award history it writes."""
