// Compiles src/main/solidity/AnchorRegistry.sol with the pinned solcjs (package.json: solc 0.8.37) through standard
// JSON, since solcjs has no --evm-version flag: evmVersion paris (no PUSH0), optimizer on, 200 runs.
// Writes the ABI and the creation bytecode where the jar picks them up as resources:
//   target/classes/io/waybill/contracts/AnchorRegistry.abi.json, AnchorRegistry.bin (hex, no 0x).
// Exits non-zero on any solc error (warnings are printed and do not fail).
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const here = dirname(fileURLToPath(import.meta.url));
const source = 'AnchorRegistry.sol';
const input = {
  language: 'Solidity',
  sources: { [source]: { content: readFileSync(join(here, 'src', 'main', 'solidity', source), 'utf8') } },
  settings: {
    evmVersion: 'paris',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { AnchorRegistry: ['abi', 'evm.bytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const problems = output.errors ?? [];
for (const p of problems) {
  console.error(p.formattedMessage ?? p.message);
}
if (problems.some((p) => p.severity === 'error')) {
  console.error(`solc ${solc.version()}: compilation failed`);
  process.exit(1);
}
const contract = output.contracts?.[source]?.AnchorRegistry;
if (!contract || !contract.evm?.bytecode?.object) {
  console.error('solc produced no AnchorRegistry bytecode');
  process.exit(1);
}
const outDir = join(here, 'target', 'classes', 'io', 'waybill', 'contracts');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'AnchorRegistry.abi.json'), JSON.stringify(contract.abi, null, 2) + '\n');
writeFileSync(join(outDir, 'AnchorRegistry.bin'), contract.evm.bytecode.object + '\n');
console.log(`solc ${solc.version()}: AnchorRegistry ${contract.evm.bytecode.object.length / 2} bytes of creation code -> ${outDir}`);
