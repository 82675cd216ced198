// Checks Kubernetes manifests against the API's schemas (kubernetes-models), for the kinds
// that `podman play kube` does not run. Usage: node validate-kubernetes.mjs FILE...
// The modules come from NODE_PATH's directory (installed outside the repository).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.NODE_PATH;
const require = createRequire(join(modules, "noop.js"));
const { parseAllDocuments } = require("yaml");

let failures = 0;
for (const file of process.argv.slice(2)) {
	for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
		if (document.errors.length > 0) {
			console.error(`${file}: ${document.errors.join("; ")}`);
			failures++;
			continue;
		}
		const manifest = document.toJS();
		if (manifest === null) {
			continue;
		}
		const { apiVersion, kind } = manifest;
		const path = apiVersion.includes("/") ? `${apiVersion}/${kind}` : `v1/${kind}`;
		try {
			const model = await import(pathToFileURL(join(modules, "kubernetes-models", `${path}.js`)).href);
			new model[kind](manifest).validate();
			console.log(`${file}: ${kind} ${manifest.metadata?.name} is valid ${apiVersion}`);
		}
		catch (error) {
			console.error(`${file}: ${kind} ${manifest.metadata?.name}: ${error.message}`);
			failures++;
		}
	}
}
process.exit(failures === 0 ? 0 : 1);
