import { vectorBinPackingLowerBound } from '../src/consolidation/vector-packing.js';
import { randomInt, seededRandom } from './lib/prng.js';
const classes: [string,(r:()=>number,n:number)=>number[]][] = [
 ['U[100,400]', (r,n)=>Array.from({length:n},()=>randomInt(r,100,400))],
 ['U[10,400]', (r,n)=>Array.from({length:n},()=>randomInt(r,10,400))],
 ['U[200,500]', (r,n)=>Array.from({length:n},()=>randomInt(r,200,500))],
 ['anti', (r,n)=>{const f=randomInt(r,100,400);return [f,...Array.from({length:n-1},()=>500-f+randomInt(r,-50,50))]}],
];
function dot(items:number[][], dims:number, mode:string){ // bin-centric
  const C=1000; const left=new Set(items.map((_,i)=>i)); let bins=0;
  const tot=new Array(dims).fill(0); for(const it of items) for(let d=0;d<dims;d++) tot[d]+=it[d]!;
  while(left.size){ bins++; const rem=new Array(dims).fill(C);
    for(;;){ let best=-1,bs=-Infinity;
      for(const i of left){ const it=items[i]!; let ok=true,s=0; for(let d=0;d<dims;d++){ if(it[d]!>rem[d]){ok=false;break;}
         s+= mode==='dot'? it[d]!*rem[d] : mode==='dotw'? it[d]!*rem[d]*tot[d] : -((rem[d]-it[d]!)**2);}
        if(ok&&s>bs){bs=s;best=i;} }
      if(best<0)break; left.delete(best); for(let d=0;d<dims;d++){rem[d]-=items[best]![d]!; tot[d]-=items[best]![d]!;} } }
  return bins; }
const sizes=[100,250]; const seedsBy:Record<number,number>={100:20,250:10};
for (const mode of ['dot','dotw','l2']){ let tot=0,cnt=0;
for (const [name,draw] of classes) for (const dims of [2,3]) for (const n of sizes) {
  let s=0; for (let seed=1; seed<=seedsBy[n]!; seed++){ const r=seededRandom(seed*1_000_003+n*7+dims);
   const raw=Array.from({length:n},()=>draw(r,dims)); const items=raw.map(x=>({vcpus:x[0]!,memoryMiB:x[1]!,diskGiB:x[2]??0}));
   s+=dot(raw,dims,mode)/vectorBinPackingLowerBound(items,{vcpus:1000,memoryMiB:1000,diskGiB:dims===3?1000:0});}
  tot+=s/seedsBy[n]!;cnt++; }
console.log(mode,'mean',(tot/cnt).toFixed(4)); }
