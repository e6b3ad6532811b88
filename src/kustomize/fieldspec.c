/*
 * Field specs: where in an object a transformer writes (labels, namespace, name
 * references...), and the walk that reaches those fields. The builtin tables restate
 * kustomize v5.6's builtinpluginconsts defaults (namePrefix, commonLabels, nameReference,
 * varReference, images, replicas...) as C rows; custom `configurations:` files in the same
 * YAML format are merged on top.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

struct fs_row {
	const char *category, *group, *version, *kind, *path;
	bool create;
};

struct nameref_row {
	struct kust_gvk referral, referrer;
	const char *path;
};

static const struct fs_row fs_rows[] = {
	{ "namePrefix", "", "", "", "metadata/name", false },
	{ "nameSuffix", "", "", "", "metadata/name", false },
	{ "commonLabels", "", "v1", "Service", "spec/selector", true },
	{ "commonLabels", "", "v1", "ReplicationController", "spec/selector", true },
	{ "commonLabels", "", "", "Deployment", "spec/selector/matchLabels", true },
	{ "commonLabels", "apps", "", "Deployment", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "Deployment", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "Deployment", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "Deployment", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "Deployment", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false },
	{ "commonLabels", "", "", "ReplicaSet", "spec/selector/matchLabels", true },
	{ "commonLabels", "", "", "DaemonSet", "spec/selector/matchLabels", true },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/selector/matchLabels", true },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels", false },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", false },
	{ "commonLabels", "batch", "", "Job", "spec/selector/matchLabels", false },
	{ "commonLabels", "batch", "", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false },
	{ "commonLabels", "policy", "", "PodDisruptionBudget", "spec/selector/matchLabels", false },
	{ "commonLabels", "networking.k8s.io", "", "NetworkPolicy", "spec/podSelector/matchLabels", false },
	{ "commonLabels", "networking.k8s.io", "", "NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", false },
	{ "commonLabels", "networking.k8s.io", "", "NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false },
	{ "commonLabels", "", "", "", "metadata/labels", true },
	{ "commonLabels", "", "v1", "ReplicationController", "spec/template/metadata/labels", true },
	{ "commonLabels", "", "", "Deployment", "spec/template/metadata/labels", true },
	{ "commonLabels", "", "", "ReplicaSet", "spec/template/metadata/labels", true },
	{ "commonLabels", "", "", "DaemonSet", "spec/template/metadata/labels", true },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/template/metadata/labels", true },
	{ "commonLabels", "apps", "", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true },
	{ "commonLabels", "batch", "", "Job", "spec/template/metadata/labels", true },
	{ "commonLabels", "batch", "", "CronJob", "spec/jobTemplate/metadata/labels", true },
	{ "commonLabels", "batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true },
	{ "templateLabels", "", "", "", "metadata/labels", true },
	{ "templateLabels", "", "v1", "ReplicationController", "spec/template/metadata/labels", true },
	{ "templateLabels", "", "", "Deployment", "spec/template/metadata/labels", true },
	{ "templateLabels", "", "", "ReplicaSet", "spec/template/metadata/labels", true },
	{ "templateLabels", "", "", "DaemonSet", "spec/template/metadata/labels", true },
	{ "templateLabels", "apps", "", "StatefulSet", "spec/template/metadata/labels", true },
	{ "templateLabels", "apps", "", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true },
	{ "templateLabels", "batch", "", "Job", "spec/template/metadata/labels", true },
	{ "templateLabels", "batch", "", "CronJob", "spec/jobTemplate/metadata/labels", true },
	{ "templateLabels", "batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true },
	{ "commonAnnotations", "", "", "", "metadata/annotations", true },
	{ "commonAnnotations", "", "v1", "ReplicationController", "spec/template/metadata/annotations", true },
	{ "commonAnnotations", "", "", "Deployment", "spec/template/metadata/annotations", true },
	{ "commonAnnotations", "", "", "ReplicaSet", "spec/template/metadata/annotations", true },
	{ "commonAnnotations", "", "", "DaemonSet", "spec/template/metadata/annotations", true },
	{ "commonAnnotations", "", "", "StatefulSet", "spec/template/metadata/annotations", true },
	{ "commonAnnotations", "batch", "", "Job", "spec/template/metadata/annotations", true },
	{ "commonAnnotations", "batch", "", "CronJob", "spec/jobTemplate/metadata/annotations", true },
	{ "commonAnnotations", "batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true },
	{ "namespace", "", "", "Namespace", "metadata/name", true },
	{ "namespace", "apiregistration.k8s.io", "", "APIService", "spec/service/namespace", true },
	{ "namespace", "apiextensions.k8s.io", "", "CustomResourceDefinition", "spec/conversion/webhook/clientConfig/service/namespace", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/containers/args", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/containers/command", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/containers/env/value", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/initContainers/args", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/initContainers/command", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/initContainers/env/value", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "CronJob", "spec/jobTemplate/spec/template/volumes/nfs/server", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/containers/args", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/containers/command", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/containers/env/value", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/initContainers/args", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/initContainers/command", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/initContainers/env/value", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "DaemonSet", "spec/template/spec/volumes/nfs/server", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/containers/args", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/containers/command", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/containers/env/value", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/initContainers/args", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/initContainers/command", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/initContainers/env/value", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "Deployment", "spec/template/spec/volumes/nfs/server", false },
	{ "varReference", "", "", "Deployment", "spec/template/metadata/annotations", false },
	{ "varReference", "", "", "Ingress", "spec/rules/host", false },
	{ "varReference", "", "", "Ingress", "spec/tls/hosts", false },
	{ "varReference", "", "", "Ingress", "spec/tls/secretName", false },
	{ "varReference", "", "", "Job", "spec/template/spec/containers/args", false },
	{ "varReference", "", "", "Job", "spec/template/spec/containers/command", false },
	{ "varReference", "", "", "Job", "spec/template/spec/containers/env/value", false },
	{ "varReference", "", "", "Job", "spec/template/spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "Job", "spec/template/spec/initContainers/args", false },
	{ "varReference", "", "", "Job", "spec/template/spec/initContainers/command", false },
	{ "varReference", "", "", "Job", "spec/template/spec/initContainers/env/value", false },
	{ "varReference", "", "", "Job", "spec/template/spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "Job", "spec/template/spec/volumes/nfs/server", false },
	{ "varReference", "", "", "Pod", "spec/containers/args", false },
	{ "varReference", "", "", "Pod", "spec/containers/command", false },
	{ "varReference", "", "", "Pod", "spec/containers/env/value", false },
	{ "varReference", "", "", "Pod", "spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "Pod", "spec/initContainers/args", false },
	{ "varReference", "", "", "Pod", "spec/initContainers/command", false },
	{ "varReference", "", "", "Pod", "spec/initContainers/env/value", false },
	{ "varReference", "", "", "Pod", "spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "Pod", "spec/volumes/nfs/server", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/containers/args", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/containers/command", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/containers/env/value", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/initContainers/args", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/initContainers/command", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/initContainers/env/value", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "ReplicaSet", "spec/template/spec/volumes/nfs/server", false },
	{ "varReference", "", "", "Service", "spec/ports/port", false },
	{ "varReference", "", "", "Service", "spec/ports/targetPort", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/containers/args", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/containers/command", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/containers/env/value", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/containers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/initContainers/args", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/initContainers/command", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/initContainers/env/value", false },
	{ "varReference", "", "", "StatefulSet", "spec/template/spec/initContainers/volumeMounts/mountPath", false },
	{ "varReference", "", "", "StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server", false },
	{ "varReference", "", "", "PersistentVolume", "spec/nfs/server", false },
	{ "varReference", "", "", "", "metadata/labels", false },
	{ "varReference", "", "", "", "metadata/annotations", false },
	{ "images", "", "", "", "spec/containers[]/image", true },
	{ "images", "", "", "", "spec/initContainers[]/image", true },
	{ "images", "", "", "", "spec/template/spec/containers[]/image", true },
	{ "images", "", "", "", "spec/template/spec/initContainers[]/image", true },
	{ "replicas", "", "", "Deployment", "spec/replicas", true },
	{ "replicas", "", "", "ReplicationController", "spec/replicas", true },
	{ "replicas", "", "", "ReplicaSet", "spec/replicas", true },
	{ "replicas", "", "", "StatefulSet", "spec/replicas", true },
};

static const struct nameref_row nameref_rows[] = {
	{ { "", "", "Deployment" }, { "", "", "HorizontalPodAutoscaler" }, "spec/scaleTargetRef/name" },
	{ { "", "", "ReplicationController" }, { "", "", "HorizontalPodAutoscaler" }, "spec/scaleTargetRef/name" },
	{ { "", "", "ReplicaSet" }, { "", "", "HorizontalPodAutoscaler" }, "spec/scaleTargetRef/name" },
	{ { "", "", "StatefulSet" }, { "", "", "HorizontalPodAutoscaler" }, "spec/scaleTargetRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "v1", "Pod" }, "spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "v1", "Pod" }, "spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "v1", "Pod" }, "spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "v1", "Pod" }, "spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "v1", "Pod" }, "spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "v1", "Pod" }, "spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "PodTemplate" }, "template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "PodTemplate" }, "template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "PodTemplate" }, "template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "PodTemplate" }, "template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "PodTemplate" }, "template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "PodTemplate" }, "template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Deployment" }, "spec/template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Deployment" }, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Deployment" }, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Deployment" }, "spec/template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Deployment" }, "spec/template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Deployment" }, "spec/template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ReplicaSet" }, "spec/template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ReplicaSet" }, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ReplicaSet" }, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ReplicaSet" }, "spec/template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ReplicaSet" }, "spec/template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ReplicaSet" }, "spec/template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "DaemonSet" }, "spec/template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "DaemonSet" }, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "DaemonSet" }, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "DaemonSet" }, "spec/template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "DaemonSet" }, "spec/template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "DaemonSet" }, "spec/template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "StatefulSet" }, "spec/template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "StatefulSet" }, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "StatefulSet" }, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "StatefulSet" }, "spec/template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "StatefulSet" }, "spec/template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "StatefulSet" }, "spec/template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Job" }, "spec/template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Job" }, "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Job" }, "spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Job" }, "spec/template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Job" }, "spec/template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Job" }, "spec/template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/volumes/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Node" }, "spec/configSource/configMap" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Role" }, "rules/resourceNames" },
	{ { "", "v1", "ConfigMap" }, { "", "", "ClusterRole" }, "rules/resourceNames" },
	{ { "", "v1", "ConfigMap" }, { "", "", "Ingress" }, "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "v1", "Pod" }, "spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "PodTemplate" }, "template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "Deployment" }, "spec/template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "ReplicaSet" }, "spec/template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "DaemonSet" }, "spec/template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "StatefulSet" }, "spec/template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "Job" }, "spec/template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/volumes/secret/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "Ingress" }, "spec/tls/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "Ingress" }, "metadata/annotations/ingress.kubernetes.io\\/auth-secret" },
	{ { "", "v1", "Secret" }, { "", "", "Ingress" }, "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret" },
	{ { "", "v1", "Secret" }, { "", "", "Ingress" }, "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret" },
	{ { "", "v1", "Secret" }, { "", "", "Ingress" }, "spec/tls/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "ServiceAccount" }, "imagePullSecrets/name" },
	{ { "", "v1", "Secret" }, { "", "", "StorageClass" }, "parameters/secretName" },
	{ { "", "v1", "Secret" }, { "", "", "StorageClass" }, "parameters/adminSecretName" },
	{ { "", "v1", "Secret" }, { "", "", "StorageClass" }, "parameters/userSecretName" },
	{ { "", "v1", "Secret" }, { "", "", "StorageClass" }, "parameters/secretRef" },
	{ { "", "v1", "Secret" }, { "", "", "Role" }, "rules/resourceNames" },
	{ { "", "v1", "Secret" }, { "", "", "ClusterRole" }, "rules/resourceNames" },
	{ { "", "v1", "Secret" }, { "serving.knative.dev", "v1", "Service" }, "spec/template/spec/containers/env/valueFrom/secretKeyRef/name" },
	{ { "", "v1", "Secret" }, { "", "", "PersistentVolume" }, "spec/azureFile/secretName" },
	{ { "", "v1", "Service" }, { "apps", "", "StatefulSet" }, "spec/serviceName" },
	{ { "", "v1", "Service" }, { "", "", "Ingress" }, "spec/rules/http/paths/backend/serviceName" },
	{ { "", "v1", "Service" }, { "", "", "Ingress" }, "spec/backend/serviceName" },
	{ { "", "v1", "Service" }, { "", "", "Ingress" }, "spec/rules/http/paths/backend/service/name" },
	{ { "", "v1", "Service" }, { "", "", "Ingress" }, "spec/defaultBackend/service/name" },
	{ { "", "v1", "Service" }, { "apiregistration.k8s.io", "", "APIService" }, "spec/service/name" },
	{ { "", "v1", "Service" }, { "admissionregistration.k8s.io", "", "ValidatingWebhookConfiguration" }, "webhooks/clientConfig/service" },
	{ { "", "v1", "Service" }, { "admissionregistration.k8s.io", "", "MutatingWebhookConfiguration" }, "webhooks/clientConfig/service" },
	{ { "rbac.authorization.k8s.io", "", "Role" }, { "rbac.authorization.k8s.io", "", "RoleBinding" }, "roleRef/name" },
	{ { "rbac.authorization.k8s.io", "", "ClusterRole" }, { "rbac.authorization.k8s.io", "", "RoleBinding" }, "roleRef/name" },
	{ { "rbac.authorization.k8s.io", "", "ClusterRole" }, { "rbac.authorization.k8s.io", "", "ClusterRoleBinding" }, "roleRef/name" },
	{ { "", "v1", "ServiceAccount" }, { "rbac.authorization.k8s.io", "", "RoleBinding" }, "subjects" },
	{ { "", "v1", "ServiceAccount" }, { "rbac.authorization.k8s.io", "", "ClusterRoleBinding" }, "subjects" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "Pod" }, "spec/serviceAccountName" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "StatefulSet" }, "spec/template/spec/serviceAccountName" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "Deployment" }, "spec/template/spec/serviceAccountName" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "ReplicationController" }, "spec/template/spec/serviceAccountName" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/serviceAccountName" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "Job" }, "spec/template/spec/serviceAccountName" },
	{ { "", "v1", "ServiceAccount" }, { "", "", "DaemonSet" }, "spec/template/spec/serviceAccountName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "Pod" }, "spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "StatefulSet" }, "spec/template/spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "Deployment" }, "spec/template/spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "ReplicationController" }, "spec/template/spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "Job" }, "spec/template/spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolumeClaim" }, { "", "", "DaemonSet" }, "spec/template/spec/volumes/persistentVolumeClaim/claimName" },
	{ { "", "v1", "PersistentVolume" }, { "", "", "PersistentVolumeClaim" }, "spec/volumeName" },
	{ { "", "v1", "PersistentVolume" }, { "", "", "ClusterRole" }, "rules/resourceNames" },
	{ { "storage.k8s.io", "v1", "StorageClass" }, { "", "", "PersistentVolume" }, "spec/storageClassName" },
	{ { "storage.k8s.io", "v1", "StorageClass" }, { "", "", "PersistentVolumeClaim" }, "spec/storageClassName" },
	{ { "storage.k8s.io", "v1", "StorageClass" }, { "", "", "StatefulSet" }, "spec/volumeClaimTemplates/spec/storageClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "Pod" }, "spec/priorityClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "StatefulSet" }, "spec/template/spec/priorityClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "Deployment" }, "spec/template/spec/priorityClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "ReplicationController" }, "spec/template/spec/priorityClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "CronJob" }, "spec/jobTemplate/spec/template/spec/priorityClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "Job" }, "spec/template/spec/priorityClassName" },
	{ { "scheduling.k8s.io", "v1", "PriorityClass" }, { "", "", "DaemonSet" }, "spec/template/spec/priorityClassName" },
	{ { "networking.k8s.io/v1", "v1", "IngressClass" }, { "", "", "Ingress" }, "spec/ingressClassName" },
	{ { "admissionregistration.k8s.io", "", "ValidatingAdmissionPolicy" }, { "admissionregistration.k8s.io", "", "ValidatingAdmissionPolicyBinding" }, "spec/policyName" },
};

static struct kust_fsv *category(struct kust_tconfig *c, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} cats[] = {
		{ "namePrefix", offsetof(struct kust_tconfig, prefix) },
		{ "nameSuffix", offsetof(struct kust_tconfig, suffix) },
		{ "commonLabels", offsetof(struct kust_tconfig, common_labels) },
		{ "labels", offsetof(struct kust_tconfig, labels) },
		{ "templateLabels", offsetof(struct kust_tconfig, template_labels) },
		{ "commonAnnotations", offsetof(struct kust_tconfig, common_annotations) },
		{ "namespace", offsetof(struct kust_tconfig, namespace) },
		{ "varReference", offsetof(struct kust_tconfig, varref) },
		{ "images", offsetof(struct kust_tconfig, images) },
		{ "replicas", offsetof(struct kust_tconfig, replicas) },
	};
	for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		if (!strcmp(cats[i].name, name))
			return (struct kust_fsv *)((char *)c + cats[i].off);
	return NULL;
}

/* Merging follows what kustomize v5.6 does (observed, e.g. TestIssue4884): an entry for
 * the same path whose gvk selects the new one (a kind-less `metadata/name` selects every
 * kind) is replaced by the new, more specific entry. */
void kust_fsv_add(struct arena *a, struct kust_fsv *v, const struct kust_fieldspec *fs)
{
	for (size_t i = 0; i < v->len; i++) {
		if (strcmp(v->v[i].path, fs->path))
			continue;
		if (kust_gvk_equal(&v->v[i].gvk, &fs->gvk)) {
			v->v[i].create = v->v[i].create || fs->create;
			return;
		}
		if (kust_gvk_selected(&fs->gvk, &v->v[i].gvk)) {
			v->v[i] = *fs;
			return;
		}
	}
	if (v->len == v->cap)
		v->v = arena_grow(a, v->v, &v->cap, v->len + 1, sizeof(*v->v));
	v->v[v->len++] = *fs;
}

static struct kust_nameref *nameref_for(struct arena *a, struct kust_tconfig *c, const struct kust_gvk *g)
{
	for (size_t i = 0; i < c->nnameref; i++)
		if (kust_gvk_equal(&c->nameref[i].gvk, g))
			return &c->nameref[i];
	if (c->nnameref == c->cap_nameref)
		c->nameref = arena_grow(a, c->nameref, &c->cap_nameref, c->nnameref + 1, sizeof(*c->nameref));
	struct kust_nameref *n = &c->nameref[c->nnameref++];
	memset(n, 0, sizeof(*n));
	n->gvk = *g;
	return n;
}

struct kust_tconfig *kust_tconfig_builtin(struct arena *a)
{
	struct kust_tconfig *c = arena_alloc(a, sizeof(*c));
	for (size_t i = 0; i < sizeof(fs_rows) / sizeof(fs_rows[0]); i++) {
		struct kust_fieldspec fs = { { fs_rows[i].group, fs_rows[i].version, fs_rows[i].kind },
					     fs_rows[i].path, fs_rows[i].create };
		kust_fsv_add(a, category(c, fs_rows[i].category), &fs);
	}
	for (size_t i = 0; i < sizeof(nameref_rows) / sizeof(nameref_rows[0]); i++) {
		struct kust_nameref *n = nameref_for(a, c, &nameref_rows[i].referral);
		struct kust_fieldspec fs = { nameref_rows[i].referrer, nameref_rows[i].path, false };
		kust_fsv_add(a, &n->referrers, &fs);
	}
	return c;
}

void kust_tconfig_merge(struct arena *a, struct kust_tconfig *dst, const struct kust_tconfig *src)
{
	static const char *const names[] = { "namePrefix", "nameSuffix", "commonLabels", "labels",
					     "templateLabels", "commonAnnotations", "namespace",
					     "varReference", "images", "replicas" };
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const struct kust_fsv *s = category((struct kust_tconfig *)src, names[k]);
		for (size_t i = 0; i < s->len; i++)
			kust_fsv_add(a, category(dst, names[k]), &s->v[i]);
	}
	for (size_t i = 0; i < src->nnameref; i++) {
		struct kust_nameref *n = nameref_for(a, dst, &src->nameref[i].gvk);
		for (size_t j = 0; j < src->nameref[i].referrers.len; j++)
			kust_fsv_add(a, &n->referrers, &src->nameref[i].referrers.v[j]);
	}
}

static const char *str_or_empty(struct arena *a, const struct doc_node *m, const char *key)
{
	const char *s = kust_scalar(doc_map_get(m, key));
	return s ? arena_strdup(a, s) : "";
}

static int parse_fieldspec(struct arena *a, const struct doc_node *n, const char *name,
			   struct kust_fieldspec *out)
{
	if (!n || n->kind != DOC_MAP)
		return err_set(ERR_INVALID, "'%s': a field spec must be a mapping", name);
	out->gvk.group = str_or_empty(a, n, "group");
	out->gvk.version = str_or_empty(a, n, "version");
	out->gvk.kind = str_or_empty(a, n, "kind");
	out->path = str_or_empty(a, n, "path");
	const struct doc_node *cr = doc_map_get(n, "create");
	out->create = cr && cr->kind == DOC_BOOL && cr->u.boolean;
	return 0;
}

int kust_tconfig_merge_doc(struct arena *a, struct kust_tconfig *c, const struct doc_node *doc,
			   const char *name)
{
	if (!doc || doc->kind != DOC_MAP)
		return 0;
	for (size_t i = 0; i < doc->u.map.len; i++) {
		const char *key = doc->u.map.items[i].key;
		const struct doc_node *v = doc->u.map.items[i].value;
		if (!v || v->kind != DOC_SEQ)
			continue;
		if (!strcmp(key, "nameReference")) {
			for (size_t j = 0; j < v->u.seq.len; j++) {
				const struct doc_node *it = v->u.seq.items[j];
				struct kust_gvk g = { str_or_empty(a, it, "group"),
						      str_or_empty(a, it, "version"),
						      str_or_empty(a, it, "kind") };
				struct kust_nameref *n = nameref_for(a, c, &g);
				const struct doc_node *fss = doc_map_get(it, "fieldSpecs");
				for (size_t k = 0; fss && fss->kind == DOC_SEQ && k < fss->u.seq.len; k++) {
					struct kust_fieldspec fs;
					int rc = parse_fieldspec(a, fss->u.seq.items[k], name, &fs);
					if (rc)
						return rc;
					kust_fsv_add(a, &n->referrers, &fs);
				}
			}
			continue;
		}
		struct kust_fsv *cat = category(c, key);
		if (!cat)
			continue;
		for (size_t j = 0; j < v->u.seq.len; j++) {
			struct kust_fieldspec fs;
			int rc = parse_fieldspec(a, v->u.seq.items[j], name, &fs);
			if (rc)
				return rc;
			kust_fsv_add(a, cat, &fs);
		}
	}
	return 0;
}

/* ---- the walk ---------------------------------------------------------------------------*/

struct walk {
	struct arena *a;
	char **seg;
	bool *is_seq; /* the segment was written "name[]": never created */
	size_t nseg;
	bool create;
	int create_kind;
	kust_fs_fn fn;
	void *ud;
};

static int walk_node(struct walk *w, struct doc_node *n, size_t i);

static int walk_field(struct walk *w, struct doc_node *map, size_t i)
{
	const char *key = w->seg[i];
	bool last = i + 1 == w->nseg;
	struct doc_pair *p = NULL;
	for (size_t k = 0; k < map->u.map.len; k++)
		if (!strcmp(map->u.map.items[k].key, key))
			p = &map->u.map.items[k];
	if (!p || !p->value || p->value->kind == DOC_NULL) {
		if (!w->create || w->create_kind == DOC_NULL || w->is_seq[i])
			return 0;
		struct doc_node *nn = doc_new(w->a, last ? (enum doc_kind)w->create_kind : DOC_MAP);
		doc_map_set(w->a, map, key, nn);
		p = NULL;
		for (size_t k = 0; k < map->u.map.len; k++)
			if (!strcmp(map->u.map.items[k].key, key))
				p = &map->u.map.items[k];
	}
	if (last)
		return w->fn(w->ud, map, p->key, &p->value);
	return walk_node(w, p->value, i + 1);
}

static int walk_node(struct walk *w, struct doc_node *n, size_t i)
{
	if (!n)
		return 0;
	if (n->kind == DOC_SEQ) {
		for (size_t k = 0; k < n->u.seq.len; k++) {
			int rc = walk_node(w, n->u.seq.items[k], i);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (n->kind != DOC_MAP)
		return 0;
	return walk_field(w, n, i);
}

int kust_fs_apply_path(struct arena *a, struct doc_node *obj, const char *path, bool create,
		       int create_kind, kust_fs_fn fn, void *ud)
{
	/* Split on '/', honouring "\/"; drop "[]" and "[...]" suffixes of segments. The
	 * segments live in a local buffer, not the arena: this runs once per object per field
	 * spec per transformer, and arena copies here were most of a large build's memory. */
	char local[512];
	size_t plen = strlen(path);
	char *copy = plen < sizeof(local) ? local : arena_alloc(a, plen + 1);
	char *segs[64];
	bool is_seq[64];
	size_t nseg = 0, o = 0, start = 0;
	for (const char *p = path;; p++) {
		if (*p == '\\' && p[1] == '/') {
			copy[o++] = '/';
			p++;
			continue;
		}
		if (*p == '/' || *p == '\0') {
			copy[o] = '\0';
			char *s = copy + start;
			size_t l = o - start;
			bool seq = false;
			if (l >= 2 && s[l - 1] == ']') {
				char *br = strrchr(s, '[');
				if (br) {
					*br = '\0';
					seq = true;
				}
			}
			if (nseg < 64 && *s) {
				is_seq[nseg] = seq;
				segs[nseg++] = s;
			}
			start = ++o;
			if (*p == '\0')
				break;
			continue;
		}
		copy[o++] = *p;
	}
	if (!nseg)
		return 0;
	struct walk w = { a, segs, is_seq, nseg, create, create_kind, fn, ud };
	return walk_node(&w, obj, 0);
}

int kust_fs_apply(struct arena *a, struct doc_node *obj, const struct kust_fieldspec *fs,
		  int create_kind, kust_fs_fn fn, void *ud)
{
	/* The group in a local buffer for the same reason as the path segments above. */
	const char *av = kust_scalar(doc_map_get(obj, "apiVersion"));
	const char *slash = av ? strchr(av, '/') : NULL;
	char group[256];
	struct kust_gvk g;
	if (slash && (size_t)(slash - av) < sizeof(group)) {
		memcpy(group, av, (size_t)(slash - av));
		group[slash - av] = '\0';
		g.group = group;
		g.version = slash + 1;
	} else {
		kust_split_apiversion(av, &g.group, &g.version, a);
	}
	const char *kind = kust_scalar(doc_map_get(obj, "kind"));
	g.kind = kind ? kind : "";
	if (!kust_gvk_selected(&g, &fs->gvk))
		return 0;
	return kust_fs_apply_path(a, obj, fs->path, fs->create, create_kind, fn, ud);
}
