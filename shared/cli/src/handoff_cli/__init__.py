"""``handoff``: the one command for the suite's users.

Development tokens, validated publishing for outside systems, one case walked through the
whole chain, dead letters for operators, a caseload simulator and its reports. It reaches
the services over HTTP and Kafka only, like any outside system (an import contract holds it).
"""
