{{- define "charthouse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "charthouse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "charthouse.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "charthouse.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "charthouse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "charthouse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "charthouse.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "charthouse.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "charthouse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "charthouse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Shared stores: PostgreSQL and S3 together; anything else keeps SQLite and blobs on a volume. */}}
{{- define "charthouse.shared" -}}
{{- if and (or .Values.database.url .Values.database.existingSecret) .Values.s3.bucket }}true{{ end }}
{{- end }}

{{- define "charthouse.secretName" -}}
{{- include "charthouse.fullname" . }}
{{- end }}

{{/* Whether the chart writes its own Secret: some secret value was given inline. */}}
{{- define "charthouse.ownSecret" -}}
{{- if or (and .Values.database.url (not .Values.database.existingSecret)) (and .Values.s3.accessKeyId (not .Values.s3.existingSecret)) (and .Values.admin.password (not .Values.admin.existingSecret)) }}true{{ end }}
{{- end }}

{{- define "charthouse.adminEnabled" -}}
{{- if or .Values.admin.password .Values.admin.existingSecret }}true{{ end }}
{{- end }}

{{/* The server's environment, for the server and the admin init container alike. */}}
{{- define "charthouse.env" -}}
- name: CHARTHOUSE_HOST
  value: "0.0.0.0"
- name: CHARTHOUSE_PORT
  value: {{ .Values.service.port | quote }}
- name: CHARTHOUSE_STORAGE
  value: /data
- name: CHARTHOUSE_CONTEXT_PATH
  value: {{ .Values.config.contextPath | quote }}
- name: CHARTHOUSE_AUTH
  value: {{ .Values.config.auth | quote }}
- name: CHARTHOUSE_ANONYMOUS_READ
  value: {{ .Values.config.anonymousRead | quote }}
- name: CHARTHOUSE_LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: CHARTHOUSE_LOG_FORMAT
  value: {{ .Values.config.logFormat | quote }}
- name: CHARTHOUSE_MAX_UPLOAD_SIZE
  value: {{ .Values.config.maxUploadSize | quote }}
- name: CHARTHOUSE_METRICS
  value: {{ .Values.metrics.enabled | quote }}
{{- if or .Values.database.url .Values.database.existingSecret }}
- name: CHARTHOUSE_DATABASE
  valueFrom:
    secretKeyRef:
      name: {{ default (include "charthouse.secretName" .) .Values.database.existingSecret }}
      key: {{ .Values.database.existingSecretKey }}
{{- end }}
{{- if .Values.s3.bucket }}
- name: CHARTHOUSE_BLOB_STORE
  value: {{ .Values.s3.bucket | quote }}
{{- with .Values.s3.endpoint }}
- name: CHARTHOUSE_S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with .Values.s3.region }}
- name: CHARTHOUSE_S3_REGION
  value: {{ . | quote }}
{{- end }}
- name: CHARTHOUSE_S3_FORCE_PATH_STYLE
  value: {{ .Values.s3.forcePathStyle | quote }}
{{- if or .Values.s3.accessKeyId .Values.s3.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ default (include "charthouse.secretName" .) .Values.s3.existingSecret }}
      key: {{ .Values.s3.accessKeyIdKey }}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ default (include "charthouse.secretName" .) .Values.s3.existingSecret }}
      key: {{ .Values.s3.secretAccessKeyKey }}
{{- end }}
{{- end }}
{{- with .Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

