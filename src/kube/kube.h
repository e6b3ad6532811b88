/* Placeholder until the Kubernetes client lands (see issue 3). */
#ifndef TIDE_KUBE_KUBE_H
#define TIDE_KUBE_KUBE_H
#endif
