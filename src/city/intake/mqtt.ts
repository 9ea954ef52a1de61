// The city's subscription to the alarm broker (Eclipse Mosquitto or any MQTT 3.1.1/5 broker):
// `alarms/+/+` at QoS 1 on a persistent session, so alarms published while the city is briefly
// away are kept by the broker; the client reconnects by itself after a cut and subscribes again.
// TLS (mqtts://, a CA file) and a username/password are supported.

import fs from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { ALARM_TOPIC_FILTER } from '../../shared/intake/alarms';
import type { AlarmIntake } from './alarms';

export interface AlarmBrokerOptions {
  url: string;
  username?: string;
  password?: string;
  /** CA certificate file for mqtts:// brokers with a private CA. */
  caFile?: string;
  clientId?: string;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface AlarmBroker {
  client: MqttClient;
  /** Whether the subscription is in place now. */
  connected(): boolean;
  close(): Promise<void>;
}

export function connectAlarmBroker(intake: AlarmIntake, opts: AlarmBrokerOptions): AlarmBroker {
  const log = opts.log ?? (() => {});
  const url = new URL(opts.url);
  if (!['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'].includes(url.protocol)) throw new Error(`--mqtt: unsupported protocol ${url.protocol} (mqtt:// or mqtts://)`);
  const client = mqtt.connect(opts.url, {
    clientId: opts.clientId ?? 'chengyun-city-alarms',
    clean: false,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    resubscribe: true,
    username: opts.username,
    password: opts.password,
    ...(opts.caFile ? { ca: fs.readFileSync(opts.caFile) } : {}),
  });
  let subscribed = false;
  client.on('connect', (ack) => {
    log('alarm broker connected', { url: `${url.protocol}//${url.host}`, sessionPresent: ack.sessionPresent });
    client.subscribe(ALARM_TOPIC_FILTER, { qos: 1 }, (err) => {
      if (err) log('alarm subscription failed', { error: err.message });
      else subscribed = true;
    });
  });
  client.on('message', (topic, payload) => intake.receive(topic, payload));
  client.on('offline', () => {
    subscribed = false;
    log('alarm broker offline, reconnecting');
  });
  client.on('error', (err) => log('alarm broker error', { error: err.message }));
  return {
    client,
    connected: () => subscribed && client.connected,
    close: async () => {
      await client.endAsync(true);
      await intake.drain();
    },
  };
}
