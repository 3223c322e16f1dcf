// @ts-check
/**
 * The WebRTC side of a meeting: local devices, one publishing peer connection per local feed
 * (camera+microphone, screen) and one watching peer connection per remote feed, all signaled
 * through `Signaling` (protocol.js). No DOM access: the UI gets streams through events.
 * @module media
 */
import * as P from "./protocol.js";

/** @typedef {import("./protocol.js").Signaling} Signaling */
/** @typedef {import("./protocol.js").ServerMessage} ServerMessage */
/** @typedef {import("./protocol.js").Feed} Feed */
/** @typedef {import("./protocol.js").FeedKind} FeedKind */
/** @typedef {import("./protocol.js").IceServer} IceServer */
/** @typedef {(payload: any) => void} Listener */

const CAMERA_CONSTRAINTS = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 24, max: 30 },
};
const WATCH_ATTEMPTS = 8;
const WATCH_RETRY_MS = 250;
const MIC_CONSTRAINTS = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

// ---------------------------------------------------------------------------------------------
// Devices

/**
 * @typedef {object} DeviceLists
 * @property {MediaDeviceInfo[]} cameras
 * @property {MediaDeviceInfo[]} microphones
 * @property {MediaDeviceInfo[]} speakers
 */

/** @returns {Promise<DeviceLists>} */
export async function listDevices() {
  const devices = navigator.mediaDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  /** @param {MediaDeviceKind} kind */
  const of = (kind) => devices.filter((d) => d.kind === kind && d.deviceId !== "");
  return { cameras: of("videoinput"), microphones: of("audioinput"), speakers: of("audiooutput") };
}

/** @param {string | undefined} deviceId @param {object} base */
function constraint(deviceId, base) {
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : { ...base };
}

/**
 * @typedef {object} LocalMediaRequest
 * @property {boolean} audio
 * @property {boolean} video
 * @property {string} [audioDeviceId]
 * @property {string} [videoDeviceId]
 */

/**
 * Opens the camera and/or microphone. When both are asked and one fails, the other is still
 * returned; `errors` says what failed.
 * @param {LocalMediaRequest} request
 * @returns {Promise<{stream: MediaStream, errors: {kind: "audio" | "video", error: Error}[]}>}
 */
export async function getLocalMedia(request) {
  const stream = new MediaStream();
  /** @type {{kind: "audio" | "video", error: Error}[]} */
  const errors = [];
  if (!navigator.mediaDevices) {
    const error = new Error("Media devices need a secure (https) page");
    if (request.audio) errors.push({ kind: "audio", error });
    if (request.video) errors.push({ kind: "video", error });
    return { stream, errors };
  }
  try {
    const both = await navigator.mediaDevices.getUserMedia(localConstraints(request));
    both.getTracks().forEach((t) => stream.addTrack(t));
    return { stream, errors };
  } catch (error) {
    if (!(request.audio && request.video)) {
      errors.push({ kind: request.audio ? "audio" : "video", error: asError(error) });
      return { stream, errors };
    }
  }
  for (const kind of /** @type {const} */ (["audio", "video"])) {
    const single = { ...request, audio: kind === "audio", video: kind === "video" };
    try {
      const got = await navigator.mediaDevices.getUserMedia(localConstraints(single));
      got.getTracks().forEach((t) => stream.addTrack(t));
    } catch (error) {
      errors.push({ kind, error: asError(error) });
    }
  }
  return { stream, errors };
}

/** @param {LocalMediaRequest} request @returns {MediaStreamConstraints} */
function localConstraints(request) {
  return {
    audio: request.audio ? constraint(request.audioDeviceId, MIC_CONSTRAINTS) : false,
    video: request.video ? constraint(request.videoDeviceId, CAMERA_CONSTRAINTS) : false,
  };
}

/** @param {unknown} error */
function asError(error) {
  return error instanceof Error ? error : new Error(String(error));
}

/** Asks the browser for a screen, window or tab to share (video only). */
export async function getScreenMedia() {
  return navigator.mediaDevices.getDisplayMedia({
    video: { frameRate: { ideal: 15, max: 30 } },
    audio: false,
  });
}

/** @param {MediaStream | null | undefined} stream */
export function stopStream(stream) {
  stream?.getTracks().forEach((track) => track.stop());
}

/** The loudness of an audio track, 0..1, read on demand (for meters and the local speaker ring). */
export class LevelMeter {
  /** @param {MediaStreamTrack} track */
  constructor(track) {
    this.context = new AudioContext();
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 512;
    this.source.connect(this.analyser);
    this.samples = new Float32Array(this.analyser.fftSize);
  }

  level() {
    if (this.context.state === "suspended") this.context.resume().catch(() => {});
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const sample of this.samples) sum += sample * sample;
    return Math.min(1, Math.sqrt(sum / this.samples.length) * 4);
  }

  close() {
    this.source.disconnect();
    this.context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Peer connections

/** A peer connection that trickles its local candidates once the server knows it. */
class Link {
  /**
   * @param {Signaling} signaling
   * @param {string} pcName `publish:<kind>` or `watch:<feed>`
   * @param {IceServer[]} iceServers
   */
  constructor(signaling, pcName, iceServers) {
    this.signaling = signaling;
    this.pcName = pcName;
    this.pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle" });
    /** @type {(object | null)[]} */
    this.queued = [];
    this.negotiated = false;
    this.closed = false;
    this.pc.onicecandidate = (event) => this.candidate(event.candidate);
  }

  /** @param {RTCIceCandidate | null} candidate */
  candidate(candidate) {
    if (candidate && !candidate.candidate) return;
    const json = candidate ? candidate.toJSON() : null;
    if (this.negotiated) this.signaling.send(P.trickle(this.pcName, json));
    else this.queued.push(json);
  }

  /** The server now holds this connection: send what gathered meanwhile. */
  flush() {
    this.negotiated = true;
    for (const json of this.queued.splice(0)) this.signaling.send(P.trickle(this.pcName, json));
  }

  close() {
    this.closed = true;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.close();
  }
}

/** Publishes a local stream: the client offers, the server answers with Janus's SDP. */
class Publisher extends Link {
  /**
   * @param {Signaling} signaling
   * @param {FeedKind} kind
   * @param {MediaStream} stream
   * @param {IceServer[]} iceServers
   */
  constructor(signaling, kind, stream, iceServers) {
    super(signaling, P.publishPc(kind), iceServers);
    this.kind = kind;
    this.stream = stream;
    /** @type {number | null} */
    this.feed = null;
  }

  async start() {
    for (const track of this.stream.getTracks()) {
      this.pc.addTransceiver(track, { direction: "sendonly", streams: [this.stream] });
    }
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const sdp = /** @type {RTCSessionDescription} */ (this.pc.localDescription).sdp;
    const reply = await this.signaling.request(P.publish(this.kind, sdp));
    if (this.closed) return;
    await this.pc.setRemoteDescription({ type: "answer", sdp: /** @type {string} */ (reply.sdp) });
    this.feed = /** @type {number} */ (reply.feed);
    this.flush();
  }

  /**
   * Swaps the outgoing track of one kind without renegotiating. False when the connection
   * does not send that kind.
   * @param {MediaStreamTrack} track
   */
  async replaceTrack(track) {
    const transceiver = this.pc
      .getTransceivers()
      .find((t) => t.receiver.track.kind === track.kind && t.direction === "sendonly");
    if (!transceiver) return false;
    await transceiver.sender.replaceTrack(track);
    return true;
  }
}

/** Receives one remote feed: the server offers (Janus), the client answers. */
class Watcher extends Link {
  /**
   * @param {Signaling} signaling
   * @param {Feed} feed
   * @param {IceServer[]} iceServers
   * @param {(watcher: Watcher) => void} onTrack
   */
  constructor(signaling, feed, iceServers, onTrack) {
    super(signaling, P.watchPc(feed.feed), iceServers);
    this.feed = feed;
    this.stream = new MediaStream();
    this.pc.ontrack = (event) => {
      this.stream.addTrack(event.track);
      onTrack(this);
    };
  }

  async start() {
    const offer = await this.signaling.request(P.watch(this.feed.feed));
    if (this.closed) return;
    await this.pc.setRemoteDescription({ type: "offer", sdp: /** @type {string} */ (offer.sdp) });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    if (this.closed) return;
    const sdp = /** @type {RTCSessionDescription} */ (this.pc.localDescription).sdp;
    await this.signaling.request(P.answer(this.feed.feed, sdp));
    this.flush();
  }

  /** @returns {Promise<{framesDecoded: number, frameWidth: number, audioPacketsReceived: number}>} */
  async stats() {
    const out = { framesDecoded: 0, frameWidth: 0, audioPacketsReceived: 0 };
    if (this.closed) return out;
    const report = await this.pc.getStats();
    report.forEach((entry) => {
      if (entry.type !== "inbound-rtp") return;
      if (entry.kind === "video") {
        out.framesDecoded += entry.framesDecoded ?? 0;
        out.frameWidth = Math.max(out.frameWidth, entry.frameWidth ?? 0);
      } else if (entry.kind === "audio") {
        out.audioPacketsReceived += entry.packetsReceived ?? 0;
      }
    });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The session

/**
 * @typedef {object} Capabilities what this role may send (from its flags)
 * @property {boolean} audio
 * @property {boolean} video
 * @property {boolean} screen
 */
/**
 * @typedef {object} FeedStats
 * @property {number} feed
 * @property {string} participantId
 * @property {FeedKind} kind
 * @property {number} framesDecoded
 * @property {number} frameWidth
 * @property {number} audioPacketsReceived
 */

/**
 * Owns every peer connection of one participant and follows the server's feed events.
 * Events (`on`): `remote-stream` {feed, stream}, `remote-removed` {feed}, `published` {kind,
 * feed}, `publish-failed` {kind, error}, `watch-failed` {feed, error}, `screen-started`
 * {stream}, `screen-ended` {}, `local-stream` {stream}, `restarting` {}, `restarted` {}.
 */
export class MediaSession {
  /**
   * @param {Signaling} signaling
   * @param {Capabilities} capabilities
   */
  constructor(signaling, capabilities) {
    this.signaling = signaling;
    this.capabilities = capabilities;
    this.selfId = "";
    /** @type {IceServer[]} */
    this.iceServers = [];
    /** @type {MediaStream} */
    this.localStream = new MediaStream();
    /** @type {MediaStream | null} */
    this.screenStream = null;
    this.audioMuted = false;
    this.videoMuted = false;
    this.live = false;
    /** @type {Map<FeedKind, Publisher>} */
    this.publishers = new Map();
    /** @type {Map<number, Watcher>} */
    this.watchers = new Map();
    /** @type {Map<number, Feed>} */
    this.feeds = new Map();
    /** @type {Map<string, Set<Listener>>} */
    this.listeners = new Map();
    this.unsubscribe = [
      signaling.on("feed-added", (m) => this.feedAdded(m.feed)),
      signaling.on("feed-removed", (m) => this.feedRemoved(m.feed)),
      signaling.on("participant-left", (m) => this.participantLeft(m.participant_id)),
      signaling.on("media-restart", () => this.restart()),
      signaling.on("room-changed", (m) => this.changeRoom(m.feeds ?? [])),
    ];
  }

  /** @param {string} type @param {Listener} listener */
  on(type, listener) {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
    return () => set.delete(listener);
  }

  /** @param {string} type @param {unknown} payload */
  emit(type, payload) {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(payload);
  }

  /**
   * Takes the state of a (re)join: every earlier peer connection is gone on the server.
   * @param {ServerMessage} joined
   */
  attach(joined) {
    this.closeLinks();
    this.live = false;
    this.selfId = /** @type {string} */ (joined.participant_id);
    this.iceServers = joined.ice_servers ?? [];
    this.feeds = new Map((joined.feeds ?? []).map((feed) => [feed.feed, feed]));
  }

  /** Back to not publishing or watching (the meeting waits for its host). */
  standby() {
    this.closeLinks();
    this.live = false;
  }

  /** @param {MediaStream} stream camera and/or microphone, already opened (the preview) */
  setLocalStream(stream) {
    this.localStream = stream;
    this.applyMute();
  }

  /** The meeting is live: publish and watch everything known. */
  async goLive() {
    if (this.live) return;
    this.live = true;
    for (const feed of this.feeds.values()) this.watchFeed(feed);
    const publishing = [this.publish("camera", this.cameraStream())];
    if (this.screenStream) publishing.push(this.publish("screen", this.screenStream));
    await Promise.all(publishing);
  }

  /** The tracks this role may send, as one stream. */
  cameraStream() {
    const tracks = this.localStream.getTracks().filter((track) => {
      return (
        track.readyState === "live" && (track.kind === "audio" ? this.capabilities.audio : this.capabilities.video)
      );
    });
    return new MediaStream(tracks);
  }

  /**
   * @param {FeedKind} kind
   * @param {MediaStream} stream
   */
  async publish(kind, stream) {
    this.publishers.get(kind)?.close();
    this.publishers.delete(kind);
    if (stream.getTracks().length === 0) return;
    const publisher = new Publisher(this.signaling, kind, stream, this.iceServers);
    this.publishers.set(kind, publisher);
    try {
      await publisher.start();
      if (!publisher.closed) this.emit("published", { kind, feed: publisher.feed });
    } catch (error) {
      if (publisher.closed) return;
      publisher.close();
      if (this.publishers.get(kind) === publisher) this.publishers.delete(kind);
      this.emit("publish-failed", { kind, error });
    }
  }

  /** @param {FeedKind} kind */
  async unpublish(kind) {
    const publisher = this.publishers.get(kind);
    if (!publisher) return;
    this.publishers.delete(kind);
    publisher.close();
    await this.signaling.request(P.unpublish(kind)).catch(() => {});
  }

  /** @param {Feed} feed */
  feedAdded(feed) {
    this.feeds.set(feed.feed, feed);
    if (this.live) this.watchFeed(feed);
  }

  /** @param {number} feedId */
  feedRemoved(feedId) {
    this.feeds.delete(feedId);
    this.dropWatcher(feedId);
  }

  /** @param {string} participantId */
  participantLeft(participantId) {
    for (const feed of [...this.feeds.values()]) {
      if (feed.participant_id === participantId) this.feedRemoved(feed.feed);
    }
  }

  /** @param {Feed} feed */
  isOwn(feed) {
    return feed.participant_id === this.selfId;
  }

  /** @param {Feed} feed */
  async watchFeed(feed) {
    if (this.isOwn(feed) || this.watchers.has(feed.feed)) return;
    for (let attempt = 1; ; attempt++) {
      const watcher = this.newWatcher(feed);
      try {
        await watcher.start();
        return;
      } catch (error) {
        if (watcher.closed) return;
        this.dropWatcher(feed.feed);
        if (!(await this.retryWatch(feed, error, attempt))) {
          this.emit("watch-failed", { feed, error });
          return;
        }
      }
    }
  }

  /** @param {Feed} feed */
  newWatcher(feed) {
    const watcher = new Watcher(this.signaling, feed, this.iceServers, (w) => {
      if (!w.closed) this.emit("remote-stream", { feed: w.feed, stream: w.stream });
    });
    this.watchers.set(feed.feed, watcher);
    return watcher;
  }

  /**
   * A feed can be announced a moment before the media server lets anyone watch it
   * (`not-found` until its publisher's connection is up): wait a little and try again,
   * as long as the feed is still announced.
   * @param {Feed} feed
   * @param {unknown} error
   * @param {number} attempt
   */
  async retryWatch(feed, error, attempt) {
    const notYet = error instanceof P.SignalingError && error.code === P.ErrorCode.NOT_FOUND;
    if (!notYet || attempt >= WATCH_ATTEMPTS) return false;
    await new Promise((resolve) => setTimeout(resolve, WATCH_RETRY_MS * attempt));
    return this.live && this.feeds.get(feed.feed) === feed && !this.watchers.has(feed.feed);
  }

  /** @param {number} feedId */
  dropWatcher(feedId) {
    const watcher = this.watchers.get(feedId);
    if (!watcher) return;
    this.watchers.delete(feedId);
    watcher.close();
    this.emit("remote-removed", { feed: watcher.feed });
  }

  /** Janus restarted: every connection is void; publish again, feeds come back one by one. */
  async restart() {
    this.emit("restarting", {});
    this.closeLinks();
    this.feeds.clear();
    if (this.live) {
      this.live = false;
      await this.goLive();
    }
    this.emit("restarted", {});
  }

  /**
   * Moved to another (breakout) room: the server dropped every connection of the old room;
   * publish in the new one and watch the feeds it has.
   * @param {Feed[]} feeds
   */
  async changeRoom(feeds) {
    this.closeLinks();
    this.feeds = new Map(feeds.map((feed) => [feed.feed, feed]));
    if (this.live) {
      this.live = false;
      await this.goLive();
    }
  }

  closeLinks() {
    for (const feedId of [...this.watchers.keys()]) this.dropWatcher(feedId);
    for (const publisher of this.publishers.values()) publisher.close();
    this.publishers.clear();
  }

  // ----- mute and devices

  /** @param {boolean} muted */
  setAudioMuted(muted) {
    this.audioMuted = muted;
    this.applyMute();
    return this.signaling.request(P.mute({ audioMuted: muted }));
  }

  /** @param {boolean} muted */
  setVideoMuted(muted) {
    this.videoMuted = muted;
    this.applyMute();
    return this.signaling.request(P.mute({ videoMuted: muted }));
  }

  applyMute() {
    this.localStream.getAudioTracks().forEach((t) => (t.enabled = !this.audioMuted));
    this.localStream.getVideoTracks().forEach((t) => (t.enabled = !this.videoMuted));
  }

  /** @param {string} deviceId */
  switchCamera(deviceId) {
    return this.switchDevice("video", deviceId);
  }

  /** @param {string} deviceId */
  switchMicrophone(deviceId) {
    return this.switchDevice("audio", deviceId);
  }

  /**
   * Opens the chosen device and puts its track in place of the old one: on the wire by
   * `replaceTrack`, or by publishing again when the camera feed did not carry that kind.
   * @param {"audio" | "video"} kind
   * @param {string} deviceId
   */
  async switchDevice(kind, deviceId) {
    const request =
      kind === "audio"
        ? { audio: true, video: false, audioDeviceId: deviceId }
        : { audio: false, video: true, videoDeviceId: deviceId };
    const { stream, errors } = await getLocalMedia(request);
    if (errors.length > 0) throw errors[0].error;
    const track = stream.getTracks()[0];
    const old = kind === "audio" ? this.localStream.getAudioTracks() : this.localStream.getVideoTracks();
    old.forEach((t) => {
      this.localStream.removeTrack(t);
      t.stop();
    });
    this.localStream.addTrack(track);
    this.applyMute();
    this.emit("local-stream", { stream: this.localStream });
    await this.sendSwitched(track);
  }

  /** @param {MediaStreamTrack} track */
  async sendSwitched(track) {
    if (!this.live) return;
    const publisher = this.publishers.get("camera");
    if (publisher && (await publisher.replaceTrack(track))) return;
    await this.unpublish("camera");
    await this.publish("camera", this.cameraStream());
  }

  // ----- screen sharing

  async startScreenShare() {
    if (this.screenStream) return this.screenStream;
    const stream = await getScreenMedia();
    this.screenStream = stream;
    // The browser's own "Stop sharing" ends the track.
    stream.getVideoTracks()[0]?.addEventListener("ended", () => this.stopScreenShare());
    this.emit("screen-started", { stream });
    if (this.live) await this.publish("screen", stream);
    return stream;
  }

  async stopScreenShare() {
    const stream = this.screenStream;
    if (!stream) return;
    this.screenStream = null;
    stopStream(stream);
    this.emit("screen-ended", {});
    await this.unpublish("screen");
  }

  // ----- statistics and shutdown

  /** @returns {Promise<FeedStats[]>} */
  async stats() {
    const watchers = [...this.watchers.values()];
    return Promise.all(
      watchers.map(async (w) => ({
        feed: w.feed.feed,
        participantId: w.feed.participant_id,
        kind: w.feed.kind,
        ...(await w.stats()),
      })),
    );
  }

  /** @param {number} feedId */
  remoteStream(feedId) {
    return this.watchers.get(feedId)?.stream ?? null;
  }

  close() {
    this.live = false;
    this.closeLinks();
    this.unsubscribe.forEach((off) => off());
    stopStream(this.localStream);
    stopStream(this.screenStream);
    this.screenStream = null;
  }
}
