// Shows a one-time password once, for the administrator to hand over; it is never shown again.

export function OneTimePassword({ username, password, onClose }: { username: string; password: string; onClose: () => void }) {
  return (
    <div className="callout warn otp" data-testid="otp">
      <div>
        账号 <b className="mono">{username}</b> 的一次性密码：<b className="mono otp-pw" data-testid="otp-password">{password}</b>
      </div>
      <div className="muted small">请当面或通过安全渠道交给本人。首次登录时必须修改；此密码只显示这一次。</div>
      <button type="button" className="small-btn" onClick={onClose} data-testid="otp-close">
        已转交
      </button>
    </div>
  );
}
