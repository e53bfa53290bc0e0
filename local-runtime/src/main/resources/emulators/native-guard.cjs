// Runs a native emulator (anvil) as a child of Node so that it dies with the JVM that started it, as the Node
// emulators do under emulator-guard.cjs: stdin is a pipe from that JVM; when the JVM ends, even by SIGKILL, the kernel
// closes the pipe, stdin reaches its end, and the child is killed before this process exits. SIGTERM and SIGINT
// (the stack's stop) are passed on. The child's output goes where this process' output goes (the emulator's log).
'use strict';
const { spawn } = require('child_process');

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let ending = false;
const stop = () => {
  if (!ending) {
    ending = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  }
};
child.on('exit', (code, signal) => process.exit(code === null ? (signal ? 1 : 0) : code));
child.on('error', (e) => { console.error('cannot start ' + command + ': ' + e.message); process.exit(127); });
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
