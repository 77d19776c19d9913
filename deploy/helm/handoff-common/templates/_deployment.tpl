{{/*
The service's Deployment. Strategy Recreate, not RollingUpdate: each service runs one
outbox relay per database, and a rolling update would briefly run two.
It meets the "restricted" Pod Security Standard: non-root (the image's uid 10001), seccomp
RuntimeDefault, no privilege escalation, every capability dropped, and a read-only root
filesystem; the only writable paths are emptyDirs at /tmp and at VAR_DIR (/app/var, used
only by the SQLite fallback).
Settings come from the env ConfigMap (envFrom) and, for secrets, from .Values.secretEnv:
  secretEnv:
    KAFKA_SASL_PASSWORD: {secretName: handoff-kafka-intake, key: password}
*/}}
{{- define "handoff-common.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "handoff-common.fullname" . }}
  labels:
    {{- include "handoff-common.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  strategy:
    type: Recreate
  selector:
    matchLabels:
      {{- include "handoff-common.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "handoff-common.labels" . | nindent 8 }}
      annotations:
        checksum/env: {{ include "handoff-common.configmap-env" . | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .Values.writableVolumes.tmpSizeLimit | default "64Mi" }}
        - name: var
          emptyDir:
            sizeLimit: {{ .Values.writableVolumes.varSizeLimit | default "256Mi" }}
      containers:
        - name: {{ .Chart.Name }}
          image: {{ include "handoff-common.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy | default "IfNotPresent" }}
          {{- with .Values.command }}
          command:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          ports:
            - name: http
              containerPort: {{ .Values.containerPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "handoff-common.fullname" . }}-env
          {{- with .Values.secretEnv }}
          env:
            {{- range $name, $ref := . }}
            - name: {{ $name }}
              valueFrom:
                secretKeyRef:
                  name: {{ required (printf "secretEnv.%s.secretName is required" $name) $ref.secretName | quote }}
                  key: {{ required (printf "secretEnv.%s.key is required" $name) $ref.key | quote }}
                  {{- if $ref.optional }}
                  optional: true
                  {{- end }}
            {{- end }}
          {{- end }}
          {{- include "handoff-common.probes" . | nindent 10 }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: var
              mountPath: /app/var
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
