// Registers every kind's admission (defaults + validation). Imported once by the simulation.
import "./core.ts";
import "./labels.ts";
import "../../controllers/replicaset/admission.ts";
import "../../controllers/deployment/admission.ts";
import "../../controllers/daemonset/admission.ts";
import "../../controllers/statefulset/admission.ts";
import "../../controllers/job/admission.ts";
import "../../controllers/cronjob/admission.ts";
