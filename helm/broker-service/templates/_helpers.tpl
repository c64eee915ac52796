{{- define "broker.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "broker.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "broker.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "broker.usersSecret" -}}
{{- if .Values.existingUsersSecret -}}{{ .Values.existingUsersSecret }}{{- else -}}{{ include "broker.fullname" . }}-users{{- end -}}
{{- end -}}

{{/* An Artemis cluster: more than one replica (refused on moquette, which has no clustering). */}}
{{- define "broker.clustered" -}}
{{- if gt (int .Values.replicaCount) 1 -}}
{{- if ne .Values.broker.engine "artemis" -}}
{{- fail (printf "replicaCount %d needs broker.engine artemis: %s has no clustering, and separate brokers would not see each other's messages" (int .Values.replicaCount) .Values.broker.engine) -}}
{{- end -}}
{{- if and (not .Values.cluster.existingSecret) (not .Values.cluster.password) -}}
{{- fail "replicaCount > 1 needs cluster.existingSecret (a Secret with key password) or cluster.password: the nodes of a cluster prove a shared secret to each other" -}}
{{- end -}}
true
{{- end -}}
{{- end -}}

{{- define "broker.clusterSecret" -}}
{{- if .Values.cluster.existingSecret -}}{{ .Values.cluster.existingSecret }}{{- else -}}{{ include "broker.fullname" . }}-cluster{{- end -}}
{{- end -}}
