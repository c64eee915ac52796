// A small command-line MQTT client on MQTT.js (the npm package mqtt), driven by the Java interop tests.
//
//   node mqttjs-client.mjs publish   <url> <topic> <qos> <payload> [retain]
//   node mqttjs-client.mjs subscribe <url> <filter> <qos> <count> <timeoutMs>
//
// Environment: MQTT_CLIENT_ID, MQTT_USERNAME, MQTT_PASSWORD, MQTT_PROTOCOL_VERSION (4 = 3.1.1, 5),
// MQTT_USER_PROPERTIES (JSON object, MQTT 5 publish only).
// subscribe prints "ready" once the SUBACK is in, then one JSON line per message; it exits 0 after <count>
// messages and 2 on timeout. Every failure prints "error: ..." and exits 1.
import mqtt from 'mqtt';

const [command, url, topic, qosArg, arg4, arg5] = process.argv.slice(2);
const qos = Number(qosArg);
const protocolVersion = Number(process.env.MQTT_PROTOCOL_VERSION || 4);

const client = mqtt.connect(url, {
  clientId: process.env.MQTT_CLIENT_ID || `mqttjs-${process.pid}`,
  username: process.env.MQTT_USERNAME,
  password: process.env.MQTT_PASSWORD,
  protocolVersion,
  reconnectPeriod: 0,
  connectTimeout: 10000,
  clean: true,
});

let ending = false;

function finish(code) {
  // Errors while closing (the broker may close first after DISCONNECT) no longer matter.
  ending = true;
  client.end(false, () => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}

function fail(err) {
  if (ending) {
    return;
  }
  console.log(`error: ${err && err.message ? err.message : err}`);
  client.end(true, () => process.exit(1));
  setTimeout(() => process.exit(1), 2000).unref();
}

client.on('error', fail);

client.on('connect', () => {
  if (command === 'publish') {
    const options = { qos, retain: arg5 === 'retain' };
    if (protocolVersion === 5 && process.env.MQTT_USER_PROPERTIES) {
      options.properties = { userProperties: JSON.parse(process.env.MQTT_USER_PROPERTIES) };
    }
    client.publish(topic, arg4, options, (err) => {
      if (err) {
        fail(err);
        return;
      }
      finish(0);
    });
  } else if (command === 'subscribe') {
    const count = Number(arg4);
    let received = 0;
    setTimeout(() => {
      console.log(`timeout: ${received} of ${count} messages`);
      finish(2);
    }, Number(arg5)).unref();
    client.on('message', (t, payload, packet) => {
      console.log(JSON.stringify({ topic: t, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain }));
      received += 1;
      if (received >= count) {
        finish(0);
      }
    });
    client.subscribe(topic, { qos }, (err, granted) => {
      if (err) {
        fail(err);
        return;
      }
      console.log(`ready ${JSON.stringify(granted.map((g) => g.qos))}`);
    });
  } else {
    fail(`unknown command ${command}`);
  }
});
