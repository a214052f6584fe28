// Core kinds admission (Pod, Node, Service, Namespace, ConfigMap, Secret, PVC). TODO.
export {};
