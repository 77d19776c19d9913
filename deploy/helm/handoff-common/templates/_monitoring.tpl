{{/*
Prometheus Operator's ServiceMonitor for the service's /metrics (off by default:
.Values.serviceMonitor.enabled). honorLabels keeps the metrics' own `service` label (the
Handoff service's name) rather than renaming it to exported_service; the job is named
"handoff", as the alert rules expect (up{job="handoff"}).
*/}}
{{- define "handoff-common.servicemonitor" -}}
{{- if .Values.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "handoff-common.fullname" . }}
  labels:
    {{- include "handoff-common.labels" . | nindent 4 }}
    {{- with .Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "handoff-common.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
      honorLabels: true
      relabelings:
        - targetLabel: job
          replacement: handoff
{{- end }}
{{- end }}

{{/*
A PodDisruptionBudget: a voluntary eviction (a node drain) takes at most maxUnavailable
pods at a time. With one replica this never blocks a drain; with more it keeps some serving.
*/}}
{{- define "handoff-common.poddisruptionbudget" -}}
{{- if .Values.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "handoff-common.fullname" . }}
  labels:
    {{- include "handoff-common.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "handoff-common.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
