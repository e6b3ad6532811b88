/* The Kubernetes client (in progress). */
#include "kube/kube.h"
int kube_placeholder_(void);
int kube_placeholder_(void) { return 0; }
