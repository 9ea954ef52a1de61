// The alert sound: a short chime made with the Web Audio API (no audio file), per user on this
// workstation switched on or off (设置 › 提醒 › 声音). Two tones: `alert` for new work (two rising
// notes) and `overdue` for a sign-in deadline missed (three sharp beeps). Browsers start audio only
// after the page has had a user gesture; until then a sound is skipped silently (the badge, the
// banner and the notification still tell).

const soundKey = (userId: string) => `chengyun.alerts.sound.${userId}`;
export const SOUND_CHANGED = 'chengyun:alert-sound';

export type AlertTone = 'alert' | 'overdue';

export function loadSoundOn(userId: string): boolean {
  try {
    return localStorage.getItem(soundKey(userId)) !== 'off';
  } catch {
    return true;
  }
}

export function saveSoundOn(userId: string, on: boolean): void {
  try {
    localStorage.setItem(soundKey(userId), on ? 'on' : 'off');
  } catch {
    /* storage unavailable: the choice lasts for this page only */
  }
  window.dispatchEvent(new Event(SOUND_CHANGED));
}

let audio: AudioContext | null = null;
let played = 0;


const TONES: Record<AlertTone, Array<{ f: number; at: number; dur: number }>> = {
  alert: [
    { f: 880, at: 0, dur: 0.14 },
    { f: 1320, at: 0.16, dur: 0.2 },
  ],
  overdue: [
    { f: 1040, at: 0, dur: 0.12 },
    { f: 1040, at: 0.18, dur: 0.12 },
    { f: 1040, at: 0.36, dur: 0.18 },
  ],
};

/**
 * Plays the tone now. Returns whether it was started (false: no Web Audio, or the browser has not
 * allowed audio yet). The count of started sounds is on `<html data-alert-sounds>` for whoever
 * needs to see that one played (the e2e tests; nothing else reads it).
 */
export function playAlertSound(tone: AlertTone): boolean {
  const ac = audio;
  if (!ac || ac.state !== 'running') return false;
  const t0 = ac.currentTime + 0.02;
  for (const n of TONES[tone]) {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.type = tone === 'overdue' ? 'square' : 'sine';
    osc.frequency.value = n.f;
    // A short attack and decay: no click at either end.
    gain.gain.setValueAtTime(0.0001, t0 + n.at);
    gain.gain.exponentialRampToValueAtTime(tone === 'overdue' ? 0.12 : 0.25, t0 + n.at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n.at + n.dur);
    osc.connect(gain).connect(ac.destination);
    osc.start(t0 + n.at);
    osc.stop(t0 + n.at + n.dur + 0.02);
  }
  played++;
  document.documentElement.dataset.alertSounds = `${played}`;
  document.documentElement.dataset.alertSoundLast = tone;
  return true;
}

/**
 * Makes the audio context on a user gesture (a press or a key: browsers allow audio from then on,
 * and warn about a context made before). Installed once by the alerts (components/AlertsNav.tsx).
 */
export function unlockAlertSoundOnGesture(): () => void {
  const unlock = () => {
    if (typeof AudioContext === 'undefined') return;
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
  return () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
}
