import { engineSuite } from "./suite.js";

engineSuite("podman");
