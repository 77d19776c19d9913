{{/*
The container's probes: liveness on /health/live (the process answers), readiness on
/health/ready (its database and Kafka answer). The startup probe gives the Alembic
migrations that run at start-up time to finish before liveness counts.
Timings come from .Values.probes.{startup,liveness,readiness}, with these defaults.
*/}}
{{- define "handoff-common.probes" -}}
{{- $p := .Values.probes | default dict -}}
startupProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ dig "startup" "periodSeconds" 5 $p }}
  timeoutSeconds: {{ dig "startup" "timeoutSeconds" 3 $p }}
  failureThreshold: {{ dig "startup" "failureThreshold" 36 $p }}
livenessProbe:
  httpGet:
    path: /health/live
    port: http
  periodSeconds: {{ dig "liveness" "periodSeconds" 15 $p }}
  timeoutSeconds: {{ dig "liveness" "timeoutSeconds" 3 $p }}
  failureThreshold: {{ dig "liveness" "failureThreshold" 3 $p }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: http
  periodSeconds: {{ dig "readiness" "periodSeconds" 10 $p }}
  timeoutSeconds: {{ dig "readiness" "timeoutSeconds" 5 $p }}
  failureThreshold: {{ dig "readiness" "failureThreshold" 3 $p }}
{{- end }}
