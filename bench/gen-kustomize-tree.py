#!/usr/bin/env python3
"""Writes the kustomize benchmark tree: a base of N objects (Deployments, Services,
ConfigMaps, ServiceAccounts in equal parts) and three overlay layers on top of each other,
each with a namePrefix, labels, annotations, an image override, a configMapGenerator and a
strategic-merge patch on all Deployments.

    bench/gen-kustomize-tree.py DIR N     # build DIR/overlay3
"""
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def base(root, n):
    per = max(1, n // 4)
    files = []
    for i in range(per):
        app = f"app{i:05d}"
        files.append(f"{app}.yaml")
        write(f"{root}/base/{app}.yaml", f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {app}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config
data:
  LOG_LEVEL: info
  PORT: "8080"
  GREETING: hello from {app}
---
apiVersion: v1
kind: Service
metadata:
  name: {app}
  labels:
    app: {app}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  labels:
    app: {app}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
    spec:
      serviceAccountName: {app}
      containers:
      - name: main
        image: registry.example.com/team/{app}:1.0.0
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef:
            name: {app}-config
        resources:
          requests:
            cpu: 10m
            memory: 32Mi
""")
    write(f"{root}/base/kustomization.yaml",
          "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" +
          "".join(f"- {f}\n" for f in files))
    return per


def overlay(root, k, below, per):
    images = "".join(f"""- name: registry.example.com/team/app{i:05d}
  newTag: 1.{k}.0
""" for i in range(0, per, max(1, per // 50)))
    write(f"{root}/overlay{k}/kustomization.yaml", f"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../{below}
namePrefix: l{k}-
labels:
- pairs:
    layer: overlay{k}
  includeSelectors: false
commonAnnotations:
  tide.example.com/layer{k}: "true"
images:
{images}configMapGenerator:
- name: layer{k}-settings
  literals:
  - LAYER={k}
  - ENV=bench
patches:
- path: deployments.yaml
  target:
    kind: Deployment
""")
    write(f"{root}/overlay{k}/deployments.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: any
spec:
  template:
    spec:
      containers:
      - name: main
        env:
        - name: LAYER{k}
          value: "{k}"
""")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-kustomize-tree.py DIR N")
    root, n = sys.argv[1], int(sys.argv[2])
    per = base(root, n)
    below = "base"
    for k in (1, 2, 3):
        overlay(root, k, below, per)
        below = f"overlay{k}"


if __name__ == "__main__":
    main()
