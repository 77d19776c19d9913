{{- define "handoff-common.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "handoff-common.fullname" . }}
  labels:
    {{- include "handoff-common.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type | default "ClusterIP" }}
  ports:
    - name: http
      port: {{ .Values.service.port | default 80 }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "handoff-common.selectorLabels" . | nindent 4 }}
{{- end }}
