{{- define "agent.name" -}}
{{- required "agent.name is required: the name of the Agent resource" .Values.agent.name -}}
{{- end -}}
{{- define "agent.serviceAccount" -}}
{{- default (printf "%s-agent" (include "agent.name" .)) .Values.serviceAccount.name -}}
{{- end -}}
{{- define "agent.labels" -}}
app.kubernetes.io/name: stella-agent
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: stella-operator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
