// Copies the built NHS.UK frontend (CSS, JS, fonts and icons) into Django's static folder.
// The copies are not committed (.gitignore): they are rebuilt from the pinned npm package.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "nhsuk-frontend", "dist", "nhsuk");
const target = join(root, "supportpath", "static", "vendor", "nhsuk");

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of ["nhsuk-frontend.min.css", "nhsuk-frontend.min.css.map", "nhsuk-frontend.min.js", "nhsuk-frontend.min.js.map"]) {
  cpSync(join(source, file), join(target, file));
}
cpSync(join(source, "assets"), join(target, "assets"), { recursive: true });
console.log(`NHS.UK frontend assets copied to ${target}`);
