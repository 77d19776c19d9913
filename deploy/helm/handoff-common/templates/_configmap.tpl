{{/*
The service's plain settings as a ConfigMap, passed to the container with envFrom.
Every key of .Values.env becomes an environment variable (the upper-case name of a field
of handoff_plumbing.settings.Settings); HTTP_HOST and HTTP_PORT are fixed by the chart so
that the probes and the Service reach the port the container listens on.
*/}}
{{- define "handoff-common.configmap-env" -}}
{{- $env := merge (dict "HTTP_HOST" "0.0.0.0" "HTTP_PORT" (toString .Values.containerPort)) (.Values.env | default dict) -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "handoff-common.fullname" . }}-env
  labels:
    {{- include "handoff-common.labels" . | nindent 4 }}
data:
  {{- range $key, $value := $env }}
  {{ $key }}: {{ $value | toString | quote }}
  {{- end }}
{{- end }}
