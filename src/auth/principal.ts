/** Who a request comes from, once its credentials have been verified. */
export interface Principal {
  user: string;
  /** server-wide admin: every right on every repository */
  admin: boolean;
  /** set when the credentials were one of the user's API tokens rather than their password */
  token?: { id: number; name: string };
}
