import { engineSuite } from "./suite.js";

engineSuite("docker");
