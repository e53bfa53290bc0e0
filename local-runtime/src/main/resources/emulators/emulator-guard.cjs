// Loaded with `node --require` in front of every Node.js emulator the local stack starts (NodeEmulatorProcess).
// 1. Loopback only: every server the emulator opens listens on WAYBILL_BIND_HOST (127.0.0.1 by default), whatever
//    address the emulator asks for. kinesis-mock hard-codes the wildcard address and has no setting for it; an
//    emulator accepts any credentials, so on the wildcard address anyone on the network could read and write it.
// 2. Dies with its owner: stdin is a pipe from the JVM that started the emulator. When that JVM ends, even by
//    SIGKILL, the kernel closes the pipe, stdin reaches its end and the emulator exits instead of living on.
// 3. A client that dies mid-request does not take the emulator with it: dynalite rethrows a request's 'aborted'
//    error (ECONNRESET) from an event handler, which ends the process; DynamoDB does not fall over when a client is
//    killed (StreamWorkerTakeoverTest kills a worker with -9 and saw dynalite die). Only that error is absorbed;
//    any other uncaught error still ends the emulator with its stack trace.
// 4. s3rver's credentials: s3rver knows one hard-coded key pair (S3RVER/S3RVER) and answers InvalidAccessKeyId to
//    any other; when WAYBILL_S3RVER_ACCESS_KEY_ID is set, the stack's dummy pair is added to its account (the module
//    is cached, so s3rver later sees the same registry). s3rver does not verify SigV4 signatures.
'use strict';
const net = require('net');

const host = process.env.WAYBILL_BIND_HOST || '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    if (first.path === undefined && first.fd === undefined && first._handle === undefined) {
      args[0] = Object.assign({}, first, { host });
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') {
      args[1] = host;
    } else {
      args.splice(1, 0, host);
    }
  }
  return listen.apply(this, args);
};

if (process.env.WAYBILL_EXIT_ON_STDIN_END !== 'false') {
  const end = () => process.exit(0);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  process.stdin.on('error', end);
  process.stdin.resume();
}

process.on('uncaughtException', (err) => {
  if (err && err.code === 'ECONNRESET' && err.message === 'aborted') {
    console.error('a client aborted its request (connection reset); the emulator carries on');
    return;
  }
  console.error(err);
  process.exit(1);
});

if (process.env.WAYBILL_S3RVER_ACCESS_KEY_ID) {
  const accounts = require(require.resolve('s3rver/lib/models/account', { paths: [process.cwd()] }));
  accounts.DUMMY_ACCOUNT.createKeyPair(process.env.WAYBILL_S3RVER_ACCESS_KEY_ID,
    process.env.WAYBILL_S3RVER_SECRET_ACCESS_KEY || '');
}
