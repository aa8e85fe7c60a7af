// A workload in Node.js, for upstream-port tests: its calls use Node's built-in fetch, which
// ignores http_proxy, so they reach the mesh only through the upstream port meshd names in
// $CATALOG_ADDR.
//   GET /env           answers $CATALOG_ADDR
//   GET /call/<path>   fetches http://$CATALOG_ADDR/<path> and answers its status and body
// Usage: PORT=8080 CATALOG_ADDR=127.0.0.1:15001 node fetch_caller.js
'use strict';
const http = require('http');

const target = process.env.CATALOG_ADDR || '';

async function call(path, res) {
    try {
        const upstream = await fetch('http://' + target + '/' + path);
        const body = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, {'content-type': 'text/plain'});
        res.end(body);
    } catch (e) {
        res.writeHead(599, {'content-type': 'text/plain'});
        res.end('fetch failed: ' + String(e && e.cause ? e.cause : e));
    }
}

http.createServer((req, res) => {
    if (req.url === '/env') {
        res.end(target);
    } else if (req.url.startsWith('/call/')) {
        call(req.url.slice('/call/'.length), res);
    } else {
        res.writeHead(404);
        res.end();
    }
}).listen(Number(process.env.PORT), '127.0.0.1');
