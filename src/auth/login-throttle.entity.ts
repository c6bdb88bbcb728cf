import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed-login counters per username and per client IP (`u:…`, `ip:…`), and attempt counters of other
 * throttled actions (`register:<ip>`), in fixed windows; kept in the database so every instance sees them.
 */
@Entity('login_throttle')
export class LoginThrottle {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  bucket: string;

  @Column({ type: 'int' })
  failures: number;

  @Column({ name: 'window_start', type: 'datetime' })
  windowStart: Date;
}
